namespace LeadScore.Engine.Tests.Compilation;

/// <summary>What one rule awards: field rules, once and per-occurrence behaviours, maxPoints and decay.</summary>
public sealed class CompiledRuleTests
{
    [Fact]
    public void FieldRule_ConditionHolds_AwardsItsPoints()
    {
        var model = Some.Model("""{"key": "software", "category": "fit", "points": 10, "when": {"field": "industry", "eq": "software"}}""");

        var card = model.Score(Some.Contact(("industry", "software")));

        card.PointsOf("software").ShouldBe(10);
    }

    [Fact]
    public void FieldRule_ConditionFails_AwardsNothingAndIsNotExplained()
    {
        var model = Some.Model("""{"key": "software", "category": "fit", "points": 10, "when": {"field": "industry", "eq": "software"}}""");

        var card = model.Score(Some.Contact(("industry", "retail")));

        card.Rules.ShouldBeEmpty();
        card.Points.ShouldBe(0);
    }

    [Fact]
    public void OnceRule_ManyMatchingEvents_AwardsItsPointsOnce()
    {
        var model = Some.Model("""{"key": "pricing", "category": "engagement", "points": 5, "event": {"type": "page_view"}}""");

        var card = model.Score(Some.Contact(Some.Events("page_view", 1, 2, 3, 4)));

        card.PointsOf("pricing").ShouldBe(5);
        card.Rules.Single().MatchedEvents.ShouldBe(4);
    }

    [Fact]
    public void OnceIsTheDefault_SameAsPerOnce()
    {
        var model = Some.Model("""{"key": "pricing", "category": "engagement", "points": 5, "per": "once", "event": {"type": "page_view"}}""");

        var card = model.Score(Some.Contact(Some.Events("page_view", 1, 2)));

        card.PointsOf("pricing").ShouldBe(5);
    }

    [Fact]
    public void OccurrenceRule_AwardsItsPointsForEachMatchingEvent()
    {
        var model = Some.Model("""{"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "event": {"type": "email_open"}}""");

        var card = model.Score(Some.Contact(Some.Events("email_open", 1, 2, 3)));

        card.PointsOf("opens").ShouldBe(6);
    }

    [Fact]
    public void OccurrenceRule_StopsAtMaxPointsAndSaysSo()
    {
        var model = Some.Model("""{"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 10, "event": {"type": "email_open"}}""");

        var card = model.Score(Some.Contact(Some.Events("email_open", 1, 2, 3, 4, 5, 6, 7)));

        var rule = card.Rules.ShouldHaveSingleItem();
        rule.Points.ShouldBe(10);
        rule.CappedAtMax.ShouldBeTrue();
        rule.MatchedEvents.ShouldBe(7);
    }

    [Fact]
    public void OccurrenceRule_UnderMaxPoints_IsNotCapped()
    {
        var model = Some.Model("""{"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 10, "event": {"type": "email_open"}}""");

        var card = model.Score(Some.Contact(Some.Events("email_open", 1, 2)));

        card.Rules.Single().CappedAtMax.ShouldBeFalse();
        card.PointsOf("opens").ShouldBe(4);
    }

    [Fact]
    public void OccurrenceRule_NegativePoints_MaxPointsLimitsTheLoss()
    {
        var model = Some.Model("""
            {"key": "fit", "category": "engagement", "points": 30, "when": {"field": "country", "exists": true}},
            {"key": "bounces", "category": "engagement", "points": -5, "per": "occurrence", "maxPoints": 12, "event": {"type": "bounce"}}
            """);

        var card = model.Score(Some.Contact(Some.Events("bounce", 1, 2, 3, 4), ("country", "US")));

        card.PointsOf("bounces").ShouldBe(-12);
        card.Category("engagement").Points.ShouldBe(18);
    }

    [Fact]
    public void OccurrenceRule_WithCount_AwardsNothingBelowTheCount()
    {
        var model = Some.Model("""{"key": "visits", "category": "engagement", "points": 3, "per": "occurrence", "event": {"type": "visit", "count": {"gte": 3}}}""");

        var card = model.Score(Some.Contact(Some.Events("visit", 1, 2)));

        card.PointsOf("visits").ShouldBe(0);
    }

    [Fact]
    public void RuleWithWhenAndEvent_NeedsBoth()
    {
        var model = Some.Model("""{"key": "us-demo", "category": "engagement", "points": 20, "when": {"field": "country", "eq": "US"}, "event": {"type": "demo_requested"}}""");

        var withoutField = model.Score(Some.Contact(Some.Events("demo_requested", 1), ("country", "DE")));
        var withBoth = model.Score(Some.Contact(Some.Events("demo_requested", 1), ("country", "US")));

        withoutField.PointsOf("us-demo").ShouldBe(0);
        withBoth.PointsOf("us-demo").ShouldBe(20);
    }

    [Theory]
    [InlineData(89, 20)]
    [InlineData(90, 0)]
    [InlineData(200, 0)]
    public void ExpiresAfter_EventStopsCountingAtThatAge(double daysAgo, double expected)
    {
        var model = Some.Model("""{"key": "demo", "category": "engagement", "points": 20, "event": {"type": "demo_requested"}, "decay": {"expiresAfter": "90d"}}""");

        var card = model.Score(Some.Contact(Some.Events("demo_requested", daysAgo)));

        card.PointsOf("demo").ShouldBe(expected);
    }

    [Fact]
    public void ExpiresAfter_OccurrenceRule_CountsOnlyUnexpiredEvents()
    {
        var model = Some.Model("""{"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "event": {"type": "email_open"}, "decay": {"expiresAfter": "2w"}}""");

        var card = model.Score(Some.Contact(Some.Events("email_open", 1, 13, 15, 40)));

        card.PointsOf("opens").ShouldBe(4);
    }

    [Fact]
    public void ExpiresAfter_ShorterThanWithin_Wins()
    {
        var model = Some.Model("""{"key": "demo", "category": "engagement", "points": 20, "event": {"type": "demo_requested", "within": "30d"}, "decay": {"expiresAfter": "10d"}}""");

        var card = model.Score(Some.Contact(Some.Events("demo_requested", 15)));

        card.PointsOf("demo").ShouldBe(0);
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(30, 10)]
    [InlineData(60, 5)]
    [InlineData(15, 14.142135623730951)]
    public void HalfLife_MultipliesPointsByHalfPerHalfLifeOfAge(double daysAgo, double expected)
    {
        var model = Some.Model("""{"key": "demo", "category": "engagement", "points": 20, "event": {"type": "demo_requested"}, "decay": {"halfLife": "30d"}}""");

        var card = model.Score(Some.Contact(Some.Events("demo_requested", daysAgo)));

        card.PointsOf("demo").ShouldBe(expected, tolerance: 1e-9);
    }

    [Fact]
    public void HalfLife_OnceRule_UsesTheNewestMatchingEvent()
    {
        var model = Some.Model("""{"key": "demo", "category": "engagement", "points": 20, "event": {"type": "demo_requested"}, "decay": {"halfLife": "30d"}}""");

        var card = model.Score(Some.Contact(Some.Events("demo_requested", 90, 30, 60)));

        card.PointsOf("demo").ShouldBe(10, tolerance: 1e-9);
    }

    [Fact]
    public void HalfLife_OnceRule_IgnoresANewerEventOfAnotherKind()
    {
        var model = Some.Model("""{"key": "pricing", "category": "engagement", "points": 8, "event": {"type": "page_view", "where": {"field": "url", "contains": "pricing"}}, "decay": {"halfLife": "1w"}}""");

        var card = model.Score(Some.Contact([Some.Event("page_view", 7, ("url", "/pricing")), Some.Event("page_view", 0, ("url", "/blog"))]));

        card.PointsOf("pricing").ShouldBe(4, tolerance: 1e-9);
    }

    [Fact]
    public void HalfLife_OccurrenceRule_DecaysEachEventByItsOwnAge()
    {
        var model = Some.Model("""{"key": "opens", "category": "engagement", "points": 8, "per": "occurrence", "event": {"type": "email_open"}, "decay": {"halfLife": "10d"}}""");

        var card = model.Score(Some.Contact(Some.Events("email_open", 0, 10, 20)));

        card.PointsOf("opens").ShouldBe(8 + 4 + 2, tolerance: 1e-9);
    }

    [Fact]
    public void HalfLife_OccurrenceRule_MaxPointsCapsTheDecayedSum()
    {
        var model = Some.Model("""{"key": "opens", "category": "engagement", "points": 8, "per": "occurrence", "maxPoints": 10, "event": {"type": "email_open"}, "decay": {"halfLife": "10d"}}""");

        var card = model.Score(Some.Contact(Some.Events("email_open", 0, 10, 20)));

        card.PointsOf("opens").ShouldBe(10);
        card.Rules.Single().CappedAtMax.ShouldBeTrue();
    }

    [Fact]
    public void HalfLife_NegativePoints_DecayTowardsZero()
    {
        var model = Some.Model("""
            {"key": "base", "category": "engagement", "points": 20, "when": {"field": "country", "exists": true}},
            {"key": "unsubscribed", "category": "engagement", "points": -16, "event": {"type": "unsubscribe"}, "decay": {"halfLife": "30d"}}
            """);

        var card = model.Score(Some.Contact(Some.Events("unsubscribe", 60), ("country", "US")));

        card.PointsOf("unsubscribed").ShouldBe(-4, tolerance: 1e-9);
        card.Category("engagement").Points.ShouldBe(16, tolerance: 1e-9);
    }
}
