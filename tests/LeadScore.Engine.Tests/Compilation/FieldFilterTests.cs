using System.Text.Json;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests.Compilation;

public sealed class FieldFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static FieldFilter? Read(string json, out IReadOnlyList<ModelDiagnostic> errors)
    {
        using var document = JsonDocument.Parse(json);
        return FieldFilter.Read(document.RootElement, "$.conditions", out errors);
    }

    [Fact]
    public void Matches_CombinedConditions_TestsTheFieldsAtTheInstant()
    {
        var filter = Read("""{"all": [{"field": "country", "in": ["DE", "AT"]}, {"field": "lifecycle.mql", "withinLast": "7d"}]}""", out var errors);
        var recent = new Dictionary<string, FieldValue> { ["country"] = FieldValue.FromText("DE"), ["lifecycle.mql"] = FieldValue.FromDate(Now.AddDays(-2)) };
        var stale = new Dictionary<string, FieldValue> { ["country"] = FieldValue.FromText("DE"), ["lifecycle.mql"] = FieldValue.FromDate(Now.AddDays(-9)) };

        var matched = filter.ShouldNotBeNull().Matches(recent, Now);

        errors.ShouldBeEmpty();
        matched.ShouldBeTrue();
        filter.Matches(stale, Now).ShouldBeFalse();
        filter.Matches(recent, Now.AddDays(6)).ShouldBeFalse();
    }

    [Fact]
    public void Read_Behaviour_IsRefusedWithItsPath()
    {
        var filter = Read("""{"any": [{"field": "country", "eq": "DE"}, {"event": {"type": "demo_requested"}}]}""", out var errors);

        filter.ShouldBeNull();
        var error = errors.ShouldHaveSingleItem();
        (error.Path, error.Code).ShouldBe(("$.conditions.any[1].event", DiagnosticCodes.MisplacedBehaviour));
        error.Message.ShouldContain("event-received");
    }

    [Theory]
    [InlineData("""{"field": "country", "sounds": "DE"}""", DiagnosticCodes.UnknownOperator)]
    [InlineData("""{"field": "email", "matches": "(unclosed"}""", DiagnosticCodes.InvalidRegex)]
    [InlineData("""[1, 2]""", DiagnosticCodes.WrongType)]
    public void Read_BadCondition_ReturnsTheModelFormatsError(string json, string code)
    {
        var filter = Read(json, out var errors);

        filter.ShouldBeNull();
        errors.ShouldContain(e => e.Code == code, string.Join("; ", errors));
    }
}
