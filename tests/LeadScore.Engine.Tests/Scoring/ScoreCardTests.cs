using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Tests.Scoring;

/// <summary>How a score card adds rules up: caps, rounding, requirements, disqualifiers, segment, encoding, thresholds, grades.</summary>
public sealed class ScoreCardTests
{
    private const string Fit30 = """{"key": "fit30", "category": "fit", "points": 30, "when": {"field": "industry", "eq": "software"}}""";
    private const string Fit40 = """{"key": "fit40", "category": "fit", "points": 40, "when": {"field": "seniority", "eq": "executive"}}""";

    [Fact]
    public void Category_RulesAddingUpPastTheBudget_AreCappedAtTheBudget()
    {
        var model = Some.Model(Fit30 + "," + Fit40);

        var card = model.Score(Some.Contact(("industry", "software"), ("seniority", "executive")));

        var fit = card.Category("fit");
        fit.Raw.ShouldBe(70);
        fit.Points.ShouldBe(50);
        fit.Capped.ShouldBeTrue();
        card.Points.ShouldBe(50);
    }

    [Fact]
    public void Category_NegativeRulesBelowZero_AreFlooredAtZero()
    {
        var model = Some.Model("""
            {"key": "software", "category": "fit", "points": 10, "when": {"field": "industry", "eq": "software"}},
            {"key": "student", "category": "fit", "points": -25, "when": {"field": "lifecycleStage", "eq": "student"}},
            {"key": "opened", "category": "engagement", "points": 7, "event": {"type": "email_open"}}
            """);

        var card = model.Score(Some.Contact(Some.Events("email_open", 1), ("industry", "software"), ("lifecycleStage", "student")));

        card.Category("fit").Raw.ShouldBe(-15);
        card.Category("fit").Points.ShouldBe(0);
        card.Category("fit").Floored.ShouldBeTrue();
        card.Points.ShouldBe(7);
    }

    [Fact]
    public void Category_NegativeRuleInOneCategory_DoesNotReduceAnother()
    {
        var model = Some.Model("""
            {"key": "software", "category": "fit", "points": 10, "when": {"field": "industry", "eq": "software"}},
            {"key": "unsubscribed", "category": "engagement", "points": -15, "event": {"type": "unsubscribe"}}
            """);

        var card = model.Score(Some.Contact(Some.Events("unsubscribe", 1), ("industry", "software")));

        card.Points.ShouldBe(10);
    }

    [Theory]
    [InlineData(2.5, 3)]
    [InlineData(0.5, 1)]
    [InlineData(3.5, 4)]
    [InlineData(2.49, 2)]
    public void Points_RoundTheSumHalfAwayFromZero(double rulePoints, int expected)
    {
        var points = rulePoints.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var model = Some.Model($$$"""{"key": "r", "category": "fit", "points": {{{points}}}, "when": {"field": "country", "exists": true}}""");

        var card = model.Score(Some.Contact(("country", "US")));

        card.Points.ShouldBe(expected);
    }

    [Fact]
    public void Points_SumTheCappedCategoriesBeforeRounding()
    {
        var model = Some.Model("""
            {"key": "a", "category": "fit", "points": 10.25, "when": {"field": "country", "exists": true}},
            {"key": "b", "category": "engagement", "points": 10.25, "when": {"field": "country", "exists": true}}
            """);

        var card = model.Score(Some.Contact(("country", "US")));

        card.Points.ShouldBe(21);
    }

    [Fact]
    public void Points_BudgetsAboveTheScale_AreCutToTheScale()
    {
        var categories = """[{"key": "fit", "dimension": "fit", "budget": 70}, {"key": "engagement", "dimension": "engagement", "budget": 70}]""";
        var model = Some.Model("""
            {"key": "a", "category": "fit", "points": 70, "when": {"field": "country", "exists": true}},
            {"key": "b", "category": "engagement", "points": 70, "when": {"field": "country", "exists": true}}
            """, categories: categories);

        var card = model.Score(Some.Contact(("country", "US")));

        card.Points.ShouldBe(100);
        card.ScaleCapped.ShouldBeTrue();
    }

    [Fact]
    public void Requirements_EachOneMetAddsABlockOfHundred()
    {
        var model = Some.Model(Fit30, """
            "requirements": [
              {"key": "adult", "when": {"field": "age", "gte": 18}},
              {"key": "service-area", "when": {"field": "country", "in": ["US", "CA"]}},
              {"key": "has-email", "when": {"field": "email", "exists": true}}]
            """, encoding: "composite");

        var card = model.Score(Some.Contact(("age", 30), ("country", "DE"), ("email", "a@b.example"), ("industry", "software")));

        card.RequirementsMet.ShouldBe(2);
        card.Score.ShouldBe(230);
        card.Qualified.ShouldBeFalse();
        card.Requirements.Single(r => r.Key == "service-area").Met.ShouldBeFalse();
    }

    [Fact]
    public void Qualified_AllRequirementsMetAndNotDisqualified()
    {
        var model = Some.Model(Fit30, """
            "requirements": [{"key": "adult", "when": {"field": "age", "gte": 18}}],
            "disqualifiers": [{"key": "competitor", "when": {"field": "email", "endsWith": "@rival.example"}}]
            """);

        var card = model.Score(Some.Contact(("age", 30), ("email", "a@friend.example")));

        card.Qualified.ShouldBeTrue();
    }

    [Fact]
    public void Disqualified_HasNoPointsScoreGradeOrThresholdsAndNamesTheDisqualifier()
    {
        var model = Some.Model(Fit30 + "," + Fit40, """
            "requirements": [{"key": "adult", "when": {"field": "age", "gte": 18}}],
            "disqualifiers": [
              {"key": "student", "when": {"field": "lifecycleStage", "eq": "student"}},
              {"key": "competitor", "when": {"field": "email", "endsWith": "@rival.example"}}],
            "segment": [{"digit": 2, "when": {"field": "employees", "gte": 0}}],
            "thresholds": [{"key": "mql", "points": 10}],
            "grades": [{"grade": "A", "min": 50}, {"grade": "D", "min": 0}]
            """, encoding: "composite");

        var card = model.Score(Some.Contact(("age", 30), ("email", "eve@rival.example"), ("employees", 500), ("industry", "software"), ("seniority", "executive")));

        card.Disqualified.ShouldBeTrue();
        card.DisqualifiedBy.ShouldBe("competitor");
        card.Points.ShouldBe(0);
        card.Score.ShouldBe(0);
        card.Grade.ShouldBeNull();
        card.Thresholds.ShouldBeEmpty();
        card.Qualified.ShouldBeFalse();
    }

    [Fact]
    public void Disqualified_TwoDisqualifiersMatch_NamesTheFirst()
    {
        var model = Some.Model(Fit30, """
            "disqualifiers": [
              {"key": "student", "when": {"field": "lifecycleStage", "eq": "student"}},
              {"key": "competitor", "when": {"field": "email", "endsWith": "@rival.example"}}]
            """);

        var card = model.Score(Some.Contact(("lifecycleStage", "student"), ("email", "eve@rival.example")));

        card.DisqualifiedBy.ShouldBe("student");
    }

    [Theory]
    [InlineData(5000, 3)]
    [InlineData(1000, 3)]
    [InlineData(999, 2)]
    [InlineData(100, 2)]
    [InlineData(12, 1)]
    public void Segment_IsTheFirstMatchingEntry(int employees, int expected)
    {
        var model = Some.Model(Fit30, """
            "segment": [
              {"digit": 3, "when": {"field": "employees", "gte": 1000}},
              {"digit": 2, "when": {"field": "employees", "gte": 100}},
              {"digit": 1, "when": {"field": "employees", "gte": 0}}]
            """, encoding: "composite");

        var card = model.Score(Some.Contact(("employees", employees)));

        card.Segment.ShouldBe(expected);
        card.Score.ShouldBe(expected * 1000);
    }

    [Fact]
    public void Segment_NoEntryMatches_IsZero()
    {
        var model = Some.Model(Fit30, """ "segment": [{"digit": 3, "when": {"field": "employees", "gte": 1000}}]""", encoding: "composite");

        var card = model.Score(Some.Contact());

        card.Segment.ShouldBe(0);
    }

    [Fact]
    public void CompositeEncoding_IsSegmentThousandsRequirementsHundredsAndPoints()
    {
        var model = Some.Model(Fit30 + "," + """{"key": "demo", "category": "engagement", "points": 19, "event": {"type": "demo_requested"}}""", """
            "requirements": [
              {"key": "adult", "when": {"field": "age", "gte": 18}},
              {"key": "service-area", "when": {"field": "country", "in": ["US", "CA"]}},
              {"key": "has-email", "when": {"field": "email", "exists": true}}],
            "segment": [{"digit": 2, "when": {"field": "employees", "gte": 100}}]
            """, encoding: "composite");

        var card = model.Score(Some.Contact(Some.Events("demo_requested", 1),
            ("age", 40), ("country", "CA"), ("email", "a@b.example"), ("employees", 250), ("industry", "software")));

        card.Points.ShouldBe(49);
        card.Score.ShouldBe(2349);
    }

    [Fact]
    public void CompositeEncoding_HundredPoints_KeepsTwoDigits()
    {
        var model = Some.Model("""
            {"key": "a", "category": "fit", "points": 50, "when": {"field": "country", "exists": true}},
            {"key": "b", "category": "engagement", "points": 50, "when": {"field": "country", "exists": true}}
            """, """ "segment": [{"digit": 1, "when": {"field": "country", "exists": true}}]""", encoding: "composite");

        var card = model.Score(Some.Contact(("country", "US")));

        card.Points.ShouldBe(100);
        card.Score.ShouldBe(1099);
    }

    [Fact]
    public void PointsEncoding_ScoreIsThePoints()
    {
        var model = Some.Model(Fit30, """
            "requirements": [{"key": "adult", "when": {"field": "age", "gte": 18}}],
            "segment": [{"digit": 2, "when": {"field": "employees", "gte": 100}}]
            """, encoding: "points");

        var card = model.Score(Some.Contact(("age", 40), ("employees", 250), ("industry", "software")));

        card.Score.ShouldBe(30);
        card.Segment.ShouldBe(2);
        card.RequirementsMet.ShouldBe(1);
    }

    [Fact]
    public void Thresholds_ReachedByAQualifiedLead_LowestFirst()
    {
        var model = Some.Model(Fit30 + "," + Fit40, """
            "requirements": [{"key": "adult", "when": {"field": "age", "gte": 18}}],
            "thresholds": [{"key": "sql", "points": 50}, {"key": "mql", "points": 30}, {"key": "pql", "points": 51}]
            """);

        var card = model.Score(Some.Contact(("age", 30), ("industry", "software"), ("seniority", "executive")));

        card.Points.ShouldBe(50);
        card.Thresholds.ShouldBe(["mql", "sql"]);
    }

    [Fact]
    public void Thresholds_RequirementUnmet_NoneReached()
    {
        var model = Some.Model(Fit30 + "," + Fit40, """
            "requirements": [{"key": "adult", "when": {"field": "age", "gte": 18}}],
            "thresholds": [{"key": "mql", "points": 30}]
            """);

        var card = model.Score(Some.Contact(("age", 16), ("industry", "software"), ("seniority", "executive")));

        card.Points.ShouldBe(50);
        card.Thresholds.ShouldBeEmpty();
    }

    [Fact]
    public void Thresholds_ModelWithoutRequirements_ReachedWhenNotDisqualified()
    {
        var model = Some.Model(Fit30, """ "thresholds": [{"key": "mql", "points": 30}]""");

        var card = model.Score(Some.Contact(("industry", "software")));

        card.Qualified.ShouldBeTrue();
        card.Thresholds.ShouldBe(["mql"]);
    }

    [Fact]
    public void Thresholds_CompositeLeadWithHundredPoints_ReachesAThresholdOfHundred()
    {
        var model = Some.Model("""
            {"key": "a", "category": "fit", "points": 50, "when": {"field": "country", "exists": true}},
            {"key": "b", "category": "engagement", "points": 50, "when": {"field": "country", "exists": true}}
            """, """ "thresholds": [{"key": "perfect", "points": 100}]""", encoding: "composite");

        var card = model.Score(Some.Contact(("country", "US")));

        card.Score.ShouldBe(99);
        card.Thresholds.ShouldBe(["perfect"]);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(24, null)]
    [InlineData(25, "C")]
    [InlineData(39, "C")]
    [InlineData(40, "B")]
    [InlineData(70, "A")]
    [InlineData(100, "A")]
    public void Grade_IsTheHighestBandWhoseMinIsAtMostThePoints(int points, string? expected)
    {
        var model = Some.Model(
            $$$"""{"key": "r", "category": "fit", "points": {{{points}}}, "when": {"field": "country", "exists": true}}""",
            """ "grades": [{"grade": "C", "min": 25}, {"grade": "A", "min": 70}, {"grade": "B", "min": 40}]""",
            categories: """[{"key": "fit", "dimension": "fit", "budget": 100}]""");

        var card = model.Score(Some.Contact(("country", "US")));

        card.Points.ShouldBe(points);
        card.Grade.ShouldBe(expected);
    }

    [Fact]
    public void ManualAdjustment_CountsInItsCategoryWithinTheBudget()
    {
        var model = Some.Model(Fit30);
        var subject = ScoringSubject.ForContact("c1", Some.Fields(("industry", "software")), [],
            [new ScoreAdjustment("fit", 25, "met at a trade show"), new ScoreAdjustment("other-model", 10, "not ours")]);

        var card = model.Score(subject);

        card.Category("fit").Raw.ShouldBe(55);
        card.Points.ShouldBe(50);
        card.Adjustments.ShouldHaveSingleItem().Reason.ShouldBe("met at a trade show");
    }

    [Fact]
    public void ManualAdjustment_Expired_DoesNotCount()
    {
        var model = Some.Model(Fit30);
        var subject = ScoringSubject.ForContact("c1", Some.Fields(("industry", "software")), [],
            [new ScoreAdjustment("fit", -10, "cold call went badly", ExpiresAt: Some.Now)]);

        var card = model.Score(subject);

        card.Points.ShouldBe(30);
        card.Adjustments.ShouldBeEmpty();
    }
}
