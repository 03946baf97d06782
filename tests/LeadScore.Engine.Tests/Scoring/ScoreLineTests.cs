using System.Text.Json;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Tests.Scoring;

/// <summary>The one-line JSON form of a card that offline scoring, stored scores and the API share.</summary>
public sealed class ScoreLineTests
{
    private const string Model = """
        {"key": "demo", "category": "engagement", "points": 20, "critical": true, "event": {"type": "demo_requested"}, "decay": {"halfLife": "30d"}},
        {"key": "software", "category": "fit", "points": 10, "when": {"field": "industry", "eq": "software"}}
        """;

    private static JsonElement Line(ScoringSubject lead, string more = "", string recordKey = "contact")
    {
        var card = Some.Model(Model, more, encoding: "composite").Score(lead);
        using var document = JsonDocument.Parse(ScoreLine.ToJson(card, recordKey));
        return document.RootElement.Clone();
    }

    [Fact]
    public void ToJson_WritesTheFieldsOfTheIssuesOutputLine()
    {
        var line = Line(Some.Contact(Some.Events("demo_requested", 10), ("industry", "software")),
            """ "thresholds": [{"key": "mql", "points": 25}], "grades": [{"grade": "B", "min": 20}]""");

        line.EnumerateObject().Select(p => p.Name).ShouldBe(
        [
            "contact", "score", "points", "segment", "requirementsMet", "qualified", "disqualified", "disqualifiedBy", "grade",
            "thresholds", "categories", "rules", "nextChangeAt",
        ], ignoreOrder: true);
        line.GetProperty("contact").GetString().ShouldBe("c1");
        line.GetProperty("points").GetInt32().ShouldBe(26);
        line.GetProperty("score").GetInt32().ShouldBe(26);
        line.GetProperty("grade").GetString().ShouldBe("B");
        line.GetProperty("thresholds")[0].GetString().ShouldBe("mql");
        line.GetProperty("disqualifiedBy").ValueKind.ShouldBe(JsonValueKind.Null);
        line.GetProperty("categories").GetProperty("fit").GetDouble().ShouldBe(10);
    }

    [Fact]
    public void ToJson_DecayedPoints_AreShownToTwoDecimals()
    {
        var line = Line(Some.Contact(Some.Events("demo_requested", 10)));

        var demo = line.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "demo");
        demo.GetProperty("points").GetDouble().ShouldBe(15.87);
        demo.GetProperty("critical").GetBoolean().ShouldBeTrue();
        demo.GetProperty("events").GetInt32().ShouldBe(1);
        line.GetProperty("categories").GetProperty("engagement").GetDouble().ShouldBe(15.87);
    }

    [Fact]
    public void ToJson_NextChangeAt_IsAnIsoInstantInUtc()
    {
        var line = Line(Some.Contact(Some.Events("demo_requested", 0)));

        var next = line.GetProperty("nextChangeAt").GetString() ?? string.Empty;

        next.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(Some.Now);
    }

    [Fact]
    public void ToJson_Disqualified_NamesTheDisqualifierAndHasNoGrade()
    {
        var line = Line(Some.Contact(("email", "eve@rival.example"), ("industry", "software")),
            """ "disqualifiers": [{"key": "competitor", "when": {"field": "email", "endsWith": "@rival.example"}}], "grades": [{"grade": "D", "min": 0}]""");

        line.GetProperty("disqualified").GetBoolean().ShouldBeTrue();
        line.GetProperty("disqualifiedBy").GetString().ShouldBe("competitor");
        line.GetProperty("grade").ValueKind.ShouldBe(JsonValueKind.Null);
        line.GetProperty("score").GetInt32().ShouldBe(0);
    }

    [Fact]
    public void ToJson_DealModel_NamesTheRecordAsADeal()
    {
        var line = Line(Some.Contact(), recordKey: "deal");

        line.GetProperty("deal").GetString().ShouldBe("c1");
        line.TryGetProperty("contact", out _).ShouldBeFalse();
    }
}
