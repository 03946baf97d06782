using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;

namespace LeadScore.Engine.Tests.Parsing;

/// <summary>The example models shipped in examples/models read and compile as users will first try them.</summary>
public sealed class ExampleModelTests
{
    private static ModelValidation Read(string name) =>
        ScoringModelJson.Parse(File.ReadAllText(Repository.File($"examples/models/{name}")));

    [Theory]
    [InlineData("b2b-saas.json")]
    [InlineData("balanced.json")]
    [InlineData("simple-weights.json")]
    public void Example_ParsesWithoutErrorsAndCompiles(string name)
    {
        var validation = Read(name);

        validation.Errors.ShouldBeEmpty(string.Join("; ", validation.Errors));
        Should.NotThrow(() => CompiledModel.Compile(validation.Model!));
    }

    [Fact]
    public void Balanced_HasNoWarnings()
    {
        var validation = Read("balanced.json");

        validation.Warnings.ShouldBeEmpty(string.Join("; ", validation.Warnings));
    }

    [Fact]
    public void Balanced_HasAtLeastTwelveRulesOverBothDimensions()
    {
        var model = Read("balanced.json").Model.ShouldNotBeNull();

        model.Rules.Length.ShouldBeGreaterThanOrEqualTo(12);
        var dimensions = model.Rules.Select(r => model.Categories.Single(c => c.Key == r.Category).Dimension).Distinct();
        dimensions.Count().ShouldBe(2);
    }

    [Fact]
    public void SimpleWeights_WarnsThatItScoresEngagementOnlyWithTooFewRules()
    {
        var validation = Read("simple-weights.json");

        validation.Warnings.Select(w => w.Code).ShouldContain(DiagnosticCodes.SingleDimension);
        validation.Warnings.Select(w => w.Code).ShouldContain(DiagnosticCodes.TooFewRules);
    }

    [Fact]
    public void B2bSaas_ScoresTheIssuesExampleLead()
    {
        var validation = Read("b2b-saas.json");
        var model = CompiledModel.Compile(validation.Model!);
        var lead = Some.Contact(
            [Some.Event("demo_requested", 0), .. Some.Events("email_open", 1, 2, 3, 4, 5, 6), Some.Event("page_view", 1, ("url", "/pricing")), Some.Event("page_view", 2, ("url", "/pricing/teams"))],
            ("age", 40), ("country", "US"), ("employees", 250), ("industry", "saas"), ("jobTitle", "VP Marketing"), ("email", "vp@acme.example"));

        var card = model.Score(lead);

        card.Points.ShouldBe(10 + 15 + 15 + 20);
        card.Score.ShouldBe(2260);
        card.Qualified.ShouldBeTrue();
        card.Thresholds.ShouldBe(["mql"]);
        card.Grade.ShouldBe("B");
    }
}
