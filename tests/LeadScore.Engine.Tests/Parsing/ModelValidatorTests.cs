using LeadScore.Engine.Parsing;

namespace LeadScore.Engine.Tests.Parsing;

/// <summary>The warnings: a model that works but repeats a classic mistake of lead scoring.</summary>
public sealed class ModelValidatorTests
{
    private const string Categories = """
        [{"key": "fit", "dimension": "fit", "budget": 50},
         {"key": "engagement", "dimension": "engagement", "budget": 50}]
        """;

    private const string FitRules = """
        {"key": "industry", "category": "fit", "points": 20, "when": {"field": "industry", "in": ["software", "saas"]}},
        {"key": "senior", "category": "fit", "points": 20, "when": {"field": "seniority", "eq": "executive"}},
        {"key": "country", "category": "fit", "points": 10, "when": {"field": "country", "in": ["US", "CA"]}}
        """;

    private const string Opens = """{"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 10, "event": {"type": "email_open"}}""";
    private const string Webinar = """{"key": "webinar", "category": "engagement", "points": 15, "event": {"type": "webinar_attended"}}""";
    private const string Demo = """{"key": "demo", "category": "engagement", "points": 25, "critical": true, "event": {"type": "demo_requested"}}""";

    private const string Thresholds = """ "thresholds": [{"key": "mql", "points": 50}]""";

    private static string Rules(params string[] rules) => string.Join(",", rules);

    private static ModelValidation Validate(
        string categories = Categories, string? rules = null, string more = Thresholds, string encoding = "points")
    {
        var validation = ScoringModelJson.Parse(Some.ModelJson(rules ?? Rules(FitRules, Opens, Webinar, Demo), more, categories, encoding));
        validation.Errors.ShouldBeEmpty();
        return validation;
    }

    private static void ShouldWarn(ModelValidation validation, string code, string path) =>
        validation.Warnings.ShouldContain(w => w.Code == code && w.Path == path, string.Join("; ", validation.Warnings));

    [Fact]
    public void BalancedModel_HasNoWarnings()
    {
        var validation = Validate();

        validation.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void SingleDimension_OnlyFitScored()
    {
        var validation = Validate(categories: Categories.Replace("\"engagement\", \"budget\"", "\"fit\", \"budget\"", StringComparison.Ordinal));

        ShouldWarn(validation, DiagnosticCodes.SingleDimension, "$.categories");
        validation.Warnings.Single(w => w.Code == DiagnosticCodes.SingleDimension).Message.ShouldContain("only fit");
    }

    [Fact]
    public void SingleDimension_OnlyEngagementScored()
    {
        var validation = Validate(categories: Categories.Replace("\"dimension\": \"fit\"", "\"dimension\": \"engagement\"", StringComparison.Ordinal));

        ShouldWarn(validation, DiagnosticCodes.SingleDimension, "$.categories");
        validation.Warnings.Single(w => w.Code == DiagnosticCodes.SingleDimension).Message.ShouldContain("only engagement");
    }

    [Fact]
    public void UnbalancedDimensions_OneDimensionUnderThirtyPercent()
    {
        var validation = Validate(categories: """
            [{"key": "fit", "dimension": "fit", "budget": 75}, {"key": "engagement", "dimension": "engagement", "budget": 25}]
            """);

        ShouldWarn(validation, DiagnosticCodes.UnbalancedDimensions, "$.categories");
        validation.Warnings.Single(w => w.Code == DiagnosticCodes.UnbalancedDimensions).Message.ShouldStartWith("Engagement");
    }

    [Fact]
    public void UnbalancedDimensions_ExactlyThirtyPercentIsFine()
    {
        var validation = Validate(categories: """
            [{"key": "fit", "dimension": "fit", "budget": 70}, {"key": "engagement", "dimension": "engagement", "budget": 30}]
            """);

        validation.Warnings.ShouldNotContain(w => w.Code == DiagnosticCodes.UnbalancedDimensions);
    }

    [Fact]
    public void BudgetsNotScale_BudgetsAddUpToLessThanTheScale()
    {
        var validation = Validate(categories: """
            [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 40}]
            """);

        ShouldWarn(validation, DiagnosticCodes.BudgetsNotScale, "$.categories");
    }

    [Fact]
    public void TooFewRules_FourRules()
    {
        var validation = Validate(rules: Rules(
            """{"key": "industry", "category": "fit", "points": 25, "when": {"field": "industry", "eq": "software"}}""",
            """{"key": "senior", "category": "fit", "points": 25, "when": {"field": "seniority", "eq": "executive"}}""",
            """{"key": "webinar", "category": "engagement", "points": 25, "event": {"type": "webinar_attended"}}""",
            Demo));

        ShouldWarn(validation, DiagnosticCodes.TooFewRules, "$.rules");
    }

    [Fact]
    public void RuleReachesThreshold_OneRuleGivesEnoughForMql()
    {
        var validation = Validate(more: """ "thresholds": [{"key": "mql", "points": 25}]""");

        ShouldWarn(validation, DiagnosticCodes.RuleReachesThreshold, "$.rules[5]");
        validation.Warnings.Count(w => w.Code == DiagnosticCodes.RuleReachesThreshold).ShouldBe(1);
    }

    [Fact]
    public void UnreachableThreshold_MorePointsThanRulesAndBudgetsAllow()
    {
        var validation = Validate(more: """ "thresholds": [{"key": "mql", "points": 50}, {"key": "sql", "points": 101}]""");

        ShouldWarn(validation, DiagnosticCodes.UnreachableThreshold, "$.thresholds[1].points");
    }

    // Thresholds compare points, which reach the scale, even though a composite score shows at most 99.
    [Fact]
    public void UnreachableThreshold_CompositeThresholdAtTheScale_IsReachable()
    {
        var validation = Validate(more: """ "thresholds": [{"key": "all", "points": 100}]""", encoding: "composite");

        validation.Warnings.ShouldNotContain(w => w.Code == DiagnosticCodes.UnreachableThreshold);
    }

    [Fact]
    public void UnreachableThreshold_RulesCannotFillTheBudget()
    {
        var validation = Validate(
            rules: Rules(FitRules, Opens, Webinar, Demo.Replace("25", "5", StringComparison.Ordinal)),
            more: """ "thresholds": [{"key": "sql", "points": 90}]""");

        ShouldWarn(validation, DiagnosticCodes.UnreachableThreshold, "$.thresholds[0].points");
    }

    [Fact]
    public void NoCriticalRule_NoBehaviourStarred()
    {
        var validation = Validate(rules: Rules(FitRules, Opens, Webinar, Demo.Replace("\"critical\": true, ", string.Empty, StringComparison.Ordinal)));

        ShouldWarn(validation, DiagnosticCodes.NoCriticalRule, "$.rules");
    }

    [Fact]
    public void RuleExceedsBudget_UnlimitedOccurrenceRule()
    {
        var validation = Validate(rules: Rules(FitRules, Opens.Replace("\"maxPoints\": 10, ", string.Empty, StringComparison.Ordinal), Webinar, Demo));

        ShouldWarn(validation, DiagnosticCodes.RuleExceedsBudget, "$.rules[3]");
    }

    [Fact]
    public void RuleExceedsBudget_OnceRuleAboveItsCategory()
    {
        var validation = Validate(
            categories: """[{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 50}]""",
            rules: Rules(FitRules.Replace("\"points\": 10", "\"points\": 60", StringComparison.Ordinal), Opens, Webinar, Demo),
            more: string.Empty);

        ShouldWarn(validation, DiagnosticCodes.RuleExceedsBudget, "$.rules[2]");
    }

    [Fact]
    public void EmptyCategory_BudgetButNoRuleAwardingPoints()
    {
        var validation = Validate(categories: """
            [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 40},
             {"key": "intent", "dimension": "engagement", "budget": 10}]
            """);

        ShouldWarn(validation, DiagnosticCodes.EmptyCategory, "$.categories[2]");
    }

    [Fact]
    public void EmptyCategory_OnlyNegativeRules_StillEmpty()
    {
        var validation = Validate(
            categories: """
                [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 40},
                 {"key": "intent", "dimension": "engagement", "budget": 10}]
                """,
            rules: Rules(FitRules, Opens, Webinar, Demo, """{"key": "unsub", "category": "intent", "points": -10, "event": {"type": "unsubscribe"}}"""));

        ShouldWarn(validation, DiagnosticCodes.EmptyCategory, "$.categories[2]");
    }
}
