using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Tests.Compilation;

/// <summary>Which events a behaviour counts: type, where, within, count, and the scoring time.</summary>
public sealed class EventMatcherTests
{
    private static bool Happened(string behaviour, params ActivityEvent[] events) =>
        Some.Holds($$"""{"event": {{behaviour}}}""", Some.Contact(events));

    [Fact]
    public void Type_EventOfThatType_Matches()
    {
        var happened = Happened("""{"type": "demo_requested"}""", Some.Event("demo_requested", daysAgo: 400));

        happened.ShouldBeTrue();
    }

    [Fact]
    public void Type_EventOfAnotherType_DoesNotMatch()
    {
        var happened = Happened("""{"type": "demo_requested"}""", Some.Event("page_view", daysAgo: 1));

        happened.ShouldBeFalse();
    }

    [Theory]
    [InlineData("https://x.example/pricing", true)]
    [InlineData("https://x.example/PRICING/teams", true)]
    [InlineData("https://x.example/blog", false)]
    public void Where_FiltersOnTheEventsProperties(string url, bool expected)
    {
        var happened = Happened("""{"type": "page_view", "where": {"field": "url", "contains": "/pricing"}}""",
            Some.Event("page_view", daysAgo: 1, ("url", url)));

        happened.ShouldBe(expected);
    }

    [Fact]
    public void Where_EventWithoutTheProperty_DoesNotMatch()
    {
        var happened = Happened("""{"type": "page_view", "where": {"field": "url", "contains": "/pricing"}}""",
            Some.Event("page_view", daysAgo: 1));

        happened.ShouldBeFalse();
    }

    [Theory]
    [InlineData(13.9, true)]
    [InlineData(14, false)]
    [InlineData(20, false)]
    public void Within_CountsOnlyEventsInsideTheWindowBeforeTheScoringTime(double daysAgo, bool expected)
    {
        var happened = Happened("""{"type": "page_view", "within": "14d"}""", Some.Event("page_view", daysAgo));

        happened.ShouldBe(expected);
    }

    [Fact]
    public void Within_Hours_UsesTheHourWindow()
    {
        var happened = Happened("""{"type": "page_view", "within": "12h"}""", Some.Event("page_view", daysAgo: 0.75));

        happened.ShouldBeFalse();
    }

    [Fact]
    public void NoWithin_CountsAllHistory()
    {
        var happened = Happened("""{"type": "page_view"}""", Some.Event("page_view", daysAgo: 3650));

        happened.ShouldBeTrue();
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void Count_NeedsAtLeastThatManyMatchingEvents(int events, bool expected)
    {
        var happened = Happened("""{"type": "page_view", "count": {"gte": 2}}""",
            Some.Events("page_view", [.. Enumerable.Range(1, events).Select(d => (double)d)]));

        happened.ShouldBe(expected);
    }

    [Fact]
    public void Count_AsAPlainNumber_IsAMinimum()
    {
        var happened = Happened("""{"type": "page_view", "count": 2}""", Some.Events("page_view", 1, 2, 3));

        happened.ShouldBeTrue();
    }

    [Fact]
    public void Count_OnlyCountsEventsThatPassWhereAndWithin()
    {
        var behaviour = """{"type": "page_view", "where": {"field": "url", "contains": "/pricing"}, "within": "14d", "count": {"gte": 2}}""";

        var happened = Happened(behaviour,
            Some.Event("page_view", 1, ("url", "/pricing")),
            Some.Event("page_view", 2, ("url", "/blog")),
            Some.Event("page_view", 20, ("url", "/pricing")));

        happened.ShouldBeFalse();
    }

    [Fact]
    public void Count_Lt_HoldsWhenFewerEventsHappened()
    {
        var happened = Happened("""{"type": "unsubscribe", "count": {"lt": 1}}""");

        happened.ShouldBeTrue();
    }

    [Fact]
    public void EventAfterTheScoringTime_IsIgnored()
    {
        var happened = Happened("""{"type": "demo_requested"}""", Some.Event("demo_requested", daysAgo: -1));

        happened.ShouldBeFalse();
    }

    [Fact]
    public void EventAfterTheScoringTime_DoesNotCountTowardsCount()
    {
        var happened = Happened("""{"type": "page_view", "count": {"gte": 2}}""",
            Some.Event("page_view", daysAgo: 1), Some.Event("page_view", daysAgo: -0.01));

        happened.ShouldBeFalse();
    }

    [Fact]
    public void EventCondition_CombinesWithFieldConditions()
    {
        var condition = """{"all": [{"field": "country", "eq": "US"}, {"event": {"type": "webinar_attended"}}]}""";

        var holds = Some.Holds(condition, Some.Contact([Some.Event("webinar_attended", 2)], ("country", "US")));

        holds.ShouldBeTrue();
    }

    [Fact]
    public void RuleEvent_ExplanationListsTheEventsThatCounted()
    {
        var model = Some.Model("""{"key": "views", "category": "engagement", "points": 5, "event": {"type": "page_view", "within": "7d"}}""");
        var recent = Some.Event("page_view", 1);
        var old = Some.Event("page_view", 30);

        var card = model.Score(Some.Contact([recent, old]));

        var rule = card.Rules.ShouldHaveSingleItem();
        rule.MatchedEvents.ShouldBe(1);
        rule.EventIds.ShouldBe([recent.Id]);
    }
}
