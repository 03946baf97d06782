using LeadScore.Engine.Automations;
using LeadScore.Engine.Parsing;

namespace LeadScore.Engine.Tests.Automations;

/// <summary>Reading automations: every problem at once, each with its path, in the same words as a model's.</summary>
public sealed class AutomationJsonTests
{
    private const string Valid = """
        {"name": "MQL to sales", "model": "m", "trigger": {"type": "score-above", "threshold": "mql"},
         "actions": [{"type": "add-tag", "tag": "hot"}]}
        """;

    [Fact]
    public void Parse_AValidAutomation_ReadsItsTriggerAndActions()
    {
        var validation = AutomationJson.Parse(Valid);

        validation.Errors.ShouldBeEmpty();
        var definition = validation.Definition.ShouldNotBeNull();
        definition.Trigger.ShouldBe(new ScoreAboveTrigger(new ScoreLevel("mql", null)));
        definition.Actions.ShouldHaveSingleItem().ShouldBeOfType<AddTagAction>().Tag.ShouldBe("hot");
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsEachWithItsPath()
    {
        var validation = AutomationJson.Parse("""
            {"Name": "x", "model": "m", "enabled": "yes",
             "trigger": {"type": "grade-changed", "to": "A", "threshold": "mql"},
             "actions": [{"type": "add-tag", "tag": "hot", "colour": "red"}, {"type": "teleport"}]}
            """);

        validation.Definition.ShouldBeNull();
        validation.Errors.Select(e => (e.Path, e.Code)).ShouldBe([
            ("$.Name", DiagnosticCodes.UnknownProperty),
            ("$", DiagnosticCodes.MissingProperty),
            ("$.trigger.threshold", DiagnosticCodes.UnknownProperty),
            ("$.actions[0].colour", DiagnosticCodes.UnknownProperty),
            ("$.actions[1].type", DiagnosticCodes.InvalidValue),
            ("$.enabled", DiagnosticCodes.WrongType),
        ], ignoreOrder: true);
        validation.Errors.Single(e => e.Path == "$.Name").Message.ShouldContain("did you mean 'name'?");
    }

    [Fact]
    public void Parse_TheSameMistakeInAModelAndAnAutomation_ReadsTheSame()
    {
        var automation = AutomationJson.Parse(Valid.Replace("\"model\": \"m\"", "\"model\": \"m\", \"enabled\": \"yes\"", StringComparison.Ordinal));
        var model = ScoringModelJson.Parse(Some.ModelJson("""{"key": "r", "category": "fit", "points": 5, "critical": "yes", "when": {"field": "a", "exists": true}}"""));

        var inAutomation = automation.Errors.ShouldHaveSingleItem();
        var inModel = model.Errors.ShouldHaveSingleItem();
        (inAutomation.Code, inModel.Code).ShouldBe((DiagnosticCodes.WrongType, DiagnosticCodes.WrongType));
        inAutomation.Message.ShouldBe(inModel.Message);
        inModel.Message.ShouldBe("Expected true or false here, but found the text \"yes\".");
    }
}
