using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;

namespace LeadScore.Engine.Tests.Parsing;

/// <summary>Reading the model format: what a valid model becomes, and every error code with its JSON path.</summary>
public sealed class ScoringModelJsonTests
{
    private const string Rule = """{"key": "r", "category": "fit", "points": 5, "when": {"field": "country", "eq": "US"}}""";

    private static ModelDiagnostic SingleError(string json)
    {
        var validation = ScoringModelJson.Parse(json);

        validation.IsValid.ShouldBeFalse();
        validation.Model.ShouldBeNull();
        return validation.Errors.ShouldHaveSingleItem(string.Join("; ", validation.Errors));
    }

    private static ModelDiagnostic RuleError(string rule) => SingleError(Some.ModelJson(rule));

    private static ModelDiagnostic ConditionError(string condition) =>
        RuleError($$"""{"key": "r", "category": "fit", "points": 5, "when": {{condition}}}""");

    [Fact]
    public void Parse_ValidModel_ReadsEveryPart()
    {
        var validation = ScoringModelJson.Parse("""
            {"key": "m", "name": "My model", "target": "deal", "scale": 100, "encoding": "composite",
             // comments and trailing commas are allowed
             "categories": [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "eng", "dimension": "engagement", "budget": 50},],
             "requirements": [{"key": "adult", "when": {"field": "age", "gte": 18}}],
             "disqualifiers": [{"key": "competitor", "when": {"field": "email", "endsWith": "@rival.example"}}],
             "segment": [{"digit": 2, "when": {"field": "employees", "gte": 100}}],
             "rules": [
               {"key": "opens", "category": "eng", "points": 2, "per": "occurrence", "maxPoints": 10, "critical": true,
                "event": {"type": "email_open", "within": "30d", "count": {"gte": 2}}, "decay": {"halfLife": "2w"}}],
             "thresholds": [{"key": "mql", "points": 50}],
             "grades": [{"grade": "A", "min": 75}]}
            """);

        validation.Errors.ShouldBeEmpty();
        var model = validation.Model.ShouldNotBeNull();
        model.Name.ShouldBe("My model");
        model.Target.ShouldBe(RecordKind.Deal);
        model.Encoding.ShouldBe(ScoreEncoding.Composite);
        model.Categories[1].Dimension.ShouldBe(Dimension.Engagement);
        var rule = model.Rules.ShouldHaveSingleItem();
        rule.Per.ShouldBe(Award.PerOccurrence);
        rule.MaxPoints.ShouldBe(10);
        rule.Critical.ShouldBeTrue();
        rule.Event!.Within!.Value.Length.ShouldBe(TimeSpan.FromDays(30));
        rule.Event.Count.ShouldBe(new CountCheck(ConditionOperator.Gte, 2));
        rule.Decay.ShouldBeOfType<HalfLifeDecay>().HalfLife.Length.ShouldBe(TimeSpan.FromDays(14));
    }

    [Fact]
    public void Parse_Defaults_AreContactCompositeScaleHundredAndOnce()
    {
        var validation = ScoringModelJson.Parse("""
            {"key": "m", "categories": [{"key": "fit", "dimension": "fit", "budget": 100}],
             "rules": [{"key": "r", "category": "fit", "points": 5, "event": {"type": "x"}}]}
            """);

        var model = validation.Model.ShouldNotBeNull();
        model.Target.ShouldBe(RecordKind.Contact);
        model.Encoding.ShouldBe(ScoreEncoding.Composite);
        model.Scale.ShouldBe(100);
        model.Name.ShouldBe("m");
        model.Rules[0].Per.ShouldBe(Award.Once);
    }

    [Fact]
    public void MalformedJson_ReportsLineAndColumn()
    {
        var error = SingleError("{\n  \"key\": \"m\",\n  \"categories\": [\n}");

        error.Code.ShouldBe(DiagnosticCodes.MalformedJson);
        error.Path.ShouldBe("$");
        error.Message.ShouldContain("line 4, column 1");
    }

    [Fact]
    public void MalformedJson_ColumnPointsAtTheBadCharacter()
    {
        var error = SingleError("{\"key\": \"m\",\n \"scale\": 10x}");

        error.Code.ShouldBe(DiagnosticCodes.MalformedJson);
        error.Message.ShouldContain("line 2");
        error.Message.ShouldContain("column 13");
    }

    [Fact]
    public void EmptyDocument_IsMalformedJson()
    {
        var error = SingleError(string.Empty);

        error.Code.ShouldBe(DiagnosticCodes.MalformedJson);
    }

    [Fact]
    public void WrongType_NamesThePathOfTheValue()
    {
        var error = SingleError(Some.ModelJson(Rule).Replace("\"scale\": 100", "\"scale\": \"100\"", StringComparison.Ordinal));

        error.Path.ShouldBe("$.scale");
        error.Code.ShouldBe(DiagnosticCodes.WrongType);
    }

    [Fact]
    public void WrongType_RootIsNotAnObject()
    {
        var error = SingleError("[1, 2]");

        error.Path.ShouldBe("$");
        error.Code.ShouldBe(DiagnosticCodes.WrongType);
    }

    [Fact]
    public void WrongType_PointsAsText()
    {
        var error = RuleError("""{"key": "r", "category": "fit", "points": "5", "when": {"field": "country", "eq": "US"}}""");

        error.Path.ShouldBe("$.rules[0].points");
        error.Code.ShouldBe(DiagnosticCodes.WrongType);
    }

    [Fact]
    public void MissingProperty_RuleWithoutCategory_PointsAtTheRule()
    {
        var error = RuleError("""{"key": "r", "points": 5, "when": {"field": "country", "eq": "US"}}""");

        error.Path.ShouldBe("$.rules[0]");
        error.Code.ShouldBe(DiagnosticCodes.MissingProperty);
        error.Message.ShouldContain("category");
    }

    [Fact]
    public void MissingProperty_RuleWithNeitherWhenNorEvent()
    {
        var error = RuleError("""{"key": "r", "category": "fit", "points": 5}""");

        error.Path.ShouldBe("$.rules[0]");
        error.Code.ShouldBe(DiagnosticCodes.MissingProperty);
    }

    [Fact]
    public void MissingProperty_ModelWithoutRules()
    {
        var error = SingleError("""{"key": "m", "categories": [{"key": "fit", "dimension": "fit", "budget": 100}]}""");

        error.Path.ShouldBe("$");
        error.Code.ShouldBe(DiagnosticCodes.MissingProperty);
        error.Message.ShouldContain("rules");
    }

    [Fact]
    public void UnknownProperty_SuggestsTheRightSpelling()
    {
        var error = RuleError("""{"key": "r", "category": "fit", "Points": 5, "points": 5, "when": {"field": "country", "eq": "US"}}""");

        error.Path.ShouldBe("$.rules[0].Points");
        error.Code.ShouldBe(DiagnosticCodes.UnknownProperty);
        error.Message.ShouldContain("did you mean 'points'");
    }

    [Fact]
    public void UnknownProperty_InACategory()
    {
        var error = SingleError(Some.ModelJson(Rule, categories: """[{"key": "fit", "dimension": "fit", "budget": 50, "weight": 2}]"""));

        error.Path.ShouldBe("$.categories[0].weight");
        error.Code.ShouldBe(DiagnosticCodes.UnknownProperty);
    }

    [Fact]
    public void UnknownCategory_NamesTheRulesCategoryPath()
    {
        var rules = string.Join(",", Rule, Rule.Replace("\"r\"", "\"r1\""), Rule.Replace("\"r\"", "\"r2\""),
            """{"key": "r3", "category": "fitt", "points": 5, "when": {"field": "country", "eq": "US"}}""");

        var error = SingleError(Some.ModelJson(rules));

        error.Path.ShouldBe("$.rules[3].category");
        error.Code.ShouldBe(DiagnosticCodes.UnknownCategory);
        error.Message.ShouldContain("fitt");
    }

    [Fact]
    public void DuplicateKey_Rules_PointsAtTheSecond()
    {
        var error = SingleError(Some.ModelJson(Rule + "," + Rule));

        error.Path.ShouldBe("$.rules[1].key");
        error.Code.ShouldBe(DiagnosticCodes.DuplicateKey);
    }

    [Fact]
    public void DuplicateKey_Categories()
    {
        var error = SingleError(Some.ModelJson(Rule, categories: """
            [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "fit", "dimension": "engagement", "budget": 50}]
            """));

        error.Path.ShouldBe("$.categories[1].key");
        error.Code.ShouldBe(DiagnosticCodes.DuplicateKey);
    }

    [Fact]
    public void DuplicateKey_Thresholds()
    {
        var error = SingleError(Some.ModelJson(Rule, """ "thresholds": [{"key": "mql", "points": 30}, {"key": "mql", "points": 60}]"""));

        error.Path.ShouldBe("$.thresholds[1].key");
        error.Code.ShouldBe(DiagnosticCodes.DuplicateKey);
    }

    [Fact]
    public void InvalidRegex_PointsAtTheMatchesOperand()
    {
        var error = ConditionError("""{"field": "jobTitle", "matches": "(vp|chief"}""");

        error.Path.ShouldBe("$.rules[0].when.matches");
        error.Code.ShouldBe(DiagnosticCodes.InvalidRegex);
    }

    [Fact]
    public void InvalidRegex_NestedInAny_HasTheNestedPath()
    {
        var error = ConditionError("""{"any": [{"field": "seniority", "eq": "vp"}, {"field": "jobTitle", "matches": "[a-"}]}""");

        error.Path.ShouldBe("$.rules[0].when.any[1].matches");
        error.Code.ShouldBe(DiagnosticCodes.InvalidRegex);
    }

    [Fact]
    public void InvalidRegex_InARequirement()
    {
        var error = SingleError(Some.ModelJson(Rule, """ "requirements": [{"key": "q", "when": {"field": "email", "matches": "*@x"}}]"""));

        error.Path.ShouldBe("$.requirements[0].when.matches");
        error.Code.ShouldBe(DiagnosticCodes.InvalidRegex);
    }

    [Fact]
    public void UnknownOperator_PointsAtTheOperator()
    {
        var error = ConditionError("""{"field": "country", "equals": "US"}""");

        error.Path.ShouldBe("$.rules[0].when.equals");
        error.Code.ShouldBe(DiagnosticCodes.UnknownOperator);
        error.Message.ShouldContain("eq");
    }

    [Fact]
    public void UnknownOperator_InACount()
    {
        var error = RuleError("""{"key": "r", "category": "fit", "points": 5, "event": {"type": "visit", "count": {"atLeast": 2}}}""");

        error.Path.ShouldBe("$.rules[0].event.count");
        error.Code.ShouldBe(DiagnosticCodes.UnknownOperator);
    }

    [Theory]
    [InlineData("30 days")]
    [InlineData("0d")]
    [InlineData("1.5w")]
    [InlineData("30")]
    public void BadDuration_InWithin(string within)
    {
        var error = RuleError($$$"""{"key": "r", "category": "fit", "points": 5, "event": {"type": "visit", "within": "{{{within}}}"}}""");

        error.Path.ShouldBe("$.rules[0].event.within");
        error.Code.ShouldBe(DiagnosticCodes.BadDuration);
    }

    [Fact]
    public void BadDuration_InWithinLast()
    {
        var error = ConditionError("""{"field": "createdAt", "withinLast": "3x"}""");

        error.Path.ShouldBe("$.rules[0].when.withinLast");
        error.Code.ShouldBe(DiagnosticCodes.BadDuration);
    }

    [Fact]
    public void BadDuration_InDecay()
    {
        var error = RuleError("""{"key": "r", "category": "fit", "points": 5, "event": {"type": "visit"}, "decay": {"halfLife": 30}}""");

        error.Path.ShouldBe("$.rules[0].decay.halfLife");
        error.Code.ShouldBe(DiagnosticCodes.BadDuration);
    }

    [Fact]
    public void BadDuration_TooLongForATimeSpan_IsReportedNotThrown()
    {
        var validation = Should.NotThrow(() => ScoringModelJson.Parse(
            Some.ModelJson("""{"key": "r", "category": "fit", "points": 5, "event": {"type": "visit", "within": "99999999d"}}""")));

        var error = validation.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("$.rules[0].event.within");
        error.Code.ShouldBe(DiagnosticCodes.BadDuration);
    }

    [Fact]
    public void NegativeBudget_PointsAtTheBudget()
    {
        var error = SingleError(Some.ModelJson(Rule, categories: """
            [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": -10}]
            """));

        error.Path.ShouldBe("$.categories[1].budget");
        error.Code.ShouldBe(DiagnosticCodes.NegativeBudget);
    }

    [Fact]
    public void InvalidValue_UnknownDimension()
    {
        var error = SingleError(Some.ModelJson(Rule, categories: """[{"key": "fit", "dimension": "behaviour", "budget": 50}]"""));

        error.Path.ShouldBe("$.categories[0].dimension");
        error.Code.ShouldBe(DiagnosticCodes.InvalidValue);
    }

    [Fact]
    public void InvalidValue_SegmentDigitAboveNine()
    {
        var error = SingleError(Some.ModelJson(Rule, """ "segment": [{"digit": 10, "when": {"field": "employees", "gte": 0}}]"""));

        error.Path.ShouldBe("$.segment[0].digit");
        error.Code.ShouldBe(DiagnosticCodes.InvalidValue);
    }

    [Fact]
    public void InvalidValue_CompositeScaleAboveHundred()
    {
        var error = SingleError(Some.ModelJson(Rule, encoding: "composite").Replace("\"scale\": 100", "\"scale\": 1000", StringComparison.Ordinal));

        error.Path.ShouldBe("$.scale");
        error.Code.ShouldBe(DiagnosticCodes.InvalidValue);
    }

    [Fact]
    public void InvalidValue_MaxPointsOnAOnceRule()
    {
        var error = RuleError("""{"key": "r", "category": "fit", "points": 5, "maxPoints": 10, "event": {"type": "visit"}}""");

        error.Path.ShouldBe("$.rules[0].maxPoints");
        error.Code.ShouldBe(DiagnosticCodes.InvalidValue);
    }

    [Fact]
    public void InvalidValue_PerOccurrenceWithoutEvent()
    {
        var error = RuleError("""{"key": "r", "category": "fit", "points": 5, "per": "occurrence", "when": {"field": "country", "eq": "US"}}""");

        error.Path.ShouldBe("$.rules[0].per");
        error.Code.ShouldBe(DiagnosticCodes.InvalidValue);
    }

    [Fact]
    public void InvalidValue_DecayWithoutEvent()
    {
        var error = RuleError("""{"key": "r", "category": "fit", "points": 5, "when": {"field": "country", "eq": "US"}, "decay": {"expiresAfter": "30d"}}""");

        error.Path.ShouldBe("$.rules[0].decay");
        error.Code.ShouldBe(DiagnosticCodes.InvalidValue);
    }

    [Fact]
    public void InvalidValue_DecayWithBothKinds()
    {
        var error = RuleError("""{"key": "r", "category": "fit", "points": 5, "event": {"type": "visit"}, "decay": {"expiresAfter": "30d", "halfLife": "7d"}}""");

        error.Path.ShouldBe("$.rules[0].decay");
        error.Code.ShouldBe(DiagnosticCodes.InvalidValue);
    }

    [Fact]
    public void InvalidValue_ConditionWithTwoOperators()
    {
        var error = ConditionError("""{"field": "age", "gte": 18, "lt": 65}""");

        error.Path.ShouldBe("$.rules[0].when");
        error.Code.ShouldBe(DiagnosticCodes.InvalidValue);
    }

    [Fact]
    public void InvalidValue_NegativeCount()
    {
        var error = RuleError("""{"key": "r", "category": "fit", "points": 5, "event": {"type": "visit", "count": {"gte": -1}}}""");

        error.Path.ShouldBe("$.rules[0].event.count.gte");
        error.Code.ShouldBe(DiagnosticCodes.InvalidValue);
    }

    [Fact]
    public void InvalidValue_EmptyAll()
    {
        var error = ConditionError("""{"all": []}""");

        error.Path.ShouldBe("$.rules[0].when.all");
        error.Code.ShouldBe(DiagnosticCodes.InvalidValue);
    }

    [Fact]
    public void BadOperand_InWithAnEmptyList()
    {
        var error = ConditionError("""{"field": "country", "in": []}""");

        error.Path.ShouldBe("$.rules[0].when.in");
        error.Code.ShouldBe(DiagnosticCodes.BadOperand);
    }

    [Fact]
    public void BadOperand_BetweenBoundsInTheWrongOrder()
    {
        var error = ConditionError("""{"field": "age", "between": [65, 18]}""");

        error.Path.ShouldBe("$.rules[0].when.between");
        error.Code.ShouldBe(DiagnosticCodes.BadOperand);
    }

    [Fact]
    public void BadOperand_GtWithText()
    {
        var error = ConditionError("""{"field": "age", "gt": "eighteen"}""");

        error.Path.ShouldBe("$.rules[0].when.gt");
        error.Code.ShouldBe(DiagnosticCodes.BadOperand);
    }

    [Fact]
    public void BadOperand_BeforeWithoutAnIsoDate()
    {
        var error = ConditionError("""{"field": "createdAt", "before": "yesterday"}""");

        error.Path.ShouldBe("$.rules[0].when.before");
        error.Code.ShouldBe(DiagnosticCodes.BadOperand);
    }

    [Fact]
    public void BadOperand_EqWithNull()
    {
        var error = ConditionError("""{"field": "country", "eq": null}""");

        error.Path.ShouldBe("$.rules[0].when.eq");
        error.Code.ShouldBe(DiagnosticCodes.BadOperand);
    }

    [Fact]
    public void BadOperand_InListItem_HasTheItemPath()
    {
        var error = ConditionError("""{"field": "country", "in": ["US", ["CA"]]}""");

        error.Path.ShouldBe("$.rules[0].when.in[1]");
        error.Code.ShouldBe(DiagnosticCodes.BadOperand);
    }

    [Fact]
    public void MisplacedBehaviour_EventInsideWhere()
    {
        var error = RuleError("""
            {"key": "r", "category": "fit", "points": 5,
             "event": {"type": "page_view", "where": {"event": {"type": "email_open"}}}}
            """);

        error.Path.ShouldBe("$.rules[0].event.where.event");
        error.Code.ShouldBe(DiagnosticCodes.MisplacedBehaviour);
    }

    [Fact]
    public void TooManyRequirements_CompositeHoldsNineAtMost()
    {
        var requirements = string.Join(",", Enumerable.Range(0, 10).Select(i => $$$"""{"key": "q{{{i}}}", "when": {"field": "f{{{i}}}", "exists": true}}"""));

        var error = SingleError(Some.ModelJson(Rule, $"\"requirements\": [{requirements}]", encoding: "composite"));

        error.Path.ShouldBe("$.requirements");
        error.Code.ShouldBe(DiagnosticCodes.TooManyRequirements);
    }

    [Fact]
    public void TooManyRequirements_PointsEncodingHasNoLimit()
    {
        var requirements = string.Join(",", Enumerable.Range(0, 10).Select(i => $$$"""{"key": "q{{{i}}}", "when": {"field": "f{{{i}}}", "exists": true}}"""));

        var validation = ScoringModelJson.Parse(Some.ModelJson(Rule, $"\"requirements\": [{requirements}]", encoding: "points"));

        validation.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Errors_AreAllReportedInOnePass()
    {
        var validation = ScoringModelJson.Parse(Some.ModelJson("""
            {"key": "a", "category": "fitt", "points": 5, "when": {"field": "country", "eq": "US"}},
            {"key": "b", "category": "fit", "points": 5, "when": {"field": "jobTitle", "matches": "("}}
            """));

        validation.Errors.Select(e => (e.Path, e.Code)).ShouldBe(
        [
            ("$.rules[0].category", DiagnosticCodes.UnknownCategory),
            ("$.rules[1].when.matches", DiagnosticCodes.InvalidRegex),
        ], ignoreOrder: true);
    }

    [Fact]
    public void Errors_ModelWithErrors_GetsNoWarnings()
    {
        var validation = ScoringModelJson.Parse(Some.ModelJson("""{"key": "a", "category": "fitt", "points": 5, "when": {"field": "country", "eq": "US"}}"""));

        validation.Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"key": "r", "category": "fit", "points": 1e400, "when": {"field": "country", "eq": "US"}}""", "$.rules[0].points")]
    [InlineData("""{"key": "r", "category": "fit", "points": 5, "when": {"field": "employees", "gte": 1e400}}""", "$.rules[0].when.gte")]
    [InlineData("""{"key": "r", "category": "fit", "points": 5, "when": {"field": "employees", "eq": -1e400}}""", "$.rules[0].when.eq")]
    public void NumberTooLargeForADouble_IsAnErrorNotAnException(string rule, string path)
    {
        var validation = Should.NotThrow(() => ScoringModelJson.Parse(Some.ModelJson(rule)));

        validation.IsValid.ShouldBeFalse();
        validation.Errors.ShouldContain(e => e.Path == path);
    }

    [Fact]
    public void Parse_ErrorsInThreeRules_ReportsAllThreeWithTheirPathsInDocumentOrder()
    {
        var validation = ScoringModelJson.Parse(Some.ModelJson("""
            {"key": "r0", "category": "fit", "points": 5, "when": {"field": "email", "matches": "(unclosed"}},
            {"key": "r1", "category": "engagement", "points": 5, "event": {"type": "email_open", "within": "30x"}},
            {"key": "r2", "category": "nowhere", "points": 5, "when": {"field": "country", "eq": "US"}},
            {"key": "r3", "category": "fit", "points": 5, "when": {"field": "country", "eq": "CA"}}
            """));

        validation.IsValid.ShouldBeFalse();
        validation.Errors.Select(e => (e.Path, e.Code)).ShouldBe([
            ("$.rules[0].when.matches", DiagnosticCodes.InvalidRegex),
            ("$.rules[1].event.within", DiagnosticCodes.BadDuration),
            ("$.rules[2].category", DiagnosticCodes.UnknownCategory),
        ]);
        validation.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_ACategoryThatCannotBeRead_DoesNotAlsoReportItsRulesAsNamingAnUnknownCategory()
    {
        var validation = ScoringModelJson.Parse(Some.ModelJson(Rule, categories: """[{"key": "fit", "dimension": "fit", "budget": "fifty"}]"""));

        validation.Errors.ShouldHaveSingleItem().Path.ShouldBe("$.categories[0].budget");
    }
}
