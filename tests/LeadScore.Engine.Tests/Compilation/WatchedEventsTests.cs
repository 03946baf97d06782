using LeadScore.Engine.Compilation;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Tests.Compilation;

/// <summary>
/// What a model tells a store it may leave unread: events of types no behaviour looks at, and events
/// older than every window of their type. Leaving them out must never change a card.
/// </summary>
public sealed class WatchedEventsTests
{
    private const long Day = TimeSpan.TicksPerDay;

    // Every way a behaviour can look back: a window, an expiry shorter or longer than it, a half-life
    // with and without a window, a count, an event condition under "not", and a type written in
    // another case by a second behaviour.
    private const string EveryLookback = """
        {"key": "pricing", "category": "engagement", "points": 5, "event": {"type": "page_view", "where": {"field": "url", "contains": "/pricing"}, "within": "14d", "count": {"gte": 2}}},
        {"key": "pages", "category": "engagement", "points": 1, "per": "occurrence", "maxPoints": 6, "event": {"type": "Page_View", "within": "30d"}},
        {"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 8, "event": {"type": "email_open", "within": "90d"}, "decay": {"expiresAfter": "60d"}},
        {"key": "clicks", "category": "engagement", "points": 3, "per": "occurrence", "maxPoints": 9, "event": {"type": "email_click", "within": "20d"}, "decay": {"halfLife": "7d"}},
        {"key": "demo", "category": "engagement", "points": 15, "event": {"type": "demo_requested"}, "decay": {"halfLife": "30d"}},
        {"key": "quiet", "category": "fit", "points": 4, "when": {"not": {"event": {"type": "webinar_attended", "count": {"lt": 3}}}}},
        {"key": "few-downloads", "category": "fit", "points": 3, "when": {"event": {"type": "content_download", "within": "45d", "count": {"lte": 1}}}}
        """;

    [Fact]
    public void Lookback_IsTheLongestWindowOfEachType_AndAllHistoryWhereAnyBehaviourHasNone()
    {
        var watched = Some.Model(EveryLookback).Watched;

        watched.Types.ShouldBe(["page_view", "email_open", "email_click", "demo_requested", "webinar_attended", "content_download"], ignoreOrder: true);
        watched.LookbackTicksOf("PAGE_VIEW").ShouldBe(30 * Day, "the longer of the two page-view windows, whatever the case");
        watched.LookbackTicksOf("email_open").ShouldBe(60 * Day, "an expiry shorter than the window is what bounds it");
        watched.LookbackTicksOf("email_click").ShouldBe(20 * Day, "a half-life inside a window stays inside it");
        watched.LookbackTicksOf("demo_requested").ShouldBe(WatchedEvents.AllHistory, "a half-life alone never reaches zero");
        watched.LookbackTicksOf("webinar_attended").ShouldBe(WatchedEvents.AllHistory, "a count with no window counts every event");
        watched.LookbackTicksOf("unsubscribe").ShouldBeNull();
    }

    [Fact]
    public void Union_KeepsEachTypesLongestLookback_AndAllHistoryWins()
    {
        var short14 = Some.Model("""{"key": "a", "category": "engagement", "points": 1, "event": {"type": "page_view", "within": "14d"}}""").Watched;
        var long30 = Some.Model("""{"key": "b", "category": "engagement", "points": 1, "event": {"type": "page_view", "within": "30d"}}, {"key": "c", "category": "engagement", "points": 1, "event": {"type": "email_open", "within": "7d"}}""").Watched;
        var forever = Some.Model("""{"key": "d", "category": "engagement", "points": 1, "event": {"type": "email_open"}}""").Watched;

        var union = WatchedEvents.Union([short14, long30, forever]);

        union.LookbackTicksOf("page_view").ShouldBe(30 * Day);
        union.LookbackTicksOf("email_open").ShouldBe(WatchedEvents.AllHistory);
        WatchedEvents.Union([]).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void MayCount_DropsOnlyWhatCannotCount()
    {
        var watched = Some.Model(EveryLookback).Watched;

        watched.MayCount(Some.Event("page_view", 29.9), Some.Now).ShouldBeTrue();
        watched.MayCount(Some.Event("page_view", 30.1), Some.Now).ShouldBeFalse();
        watched.MayCount(Some.Event("page_view", -2), Some.Now).ShouldBeTrue("an event dated after the scoring instant will count from its time on");
        watched.MayCount(Some.Event("demo_requested", 3_000), Some.Now).ShouldBeTrue();
        watched.MayCount(Some.Event("unsubscribe", 1), Some.Now).ShouldBeFalse("no behaviour looks at it");
    }

    [Theory]
    [InlineData("EveryLookback")]
    [InlineData("examples/models/balanced.json")]
    [InlineData("examples/models/b2b-saas.json")]
    [InlineData("examples/models/simple-weights.json")]
    public void Score_FromTheEventsThatMayCount_IsTheScoreFromAllOfThem(string source)
    {
        var model = source == "EveryLookback" ? Some.Model(EveryLookback) : Some.Compile(File.ReadAllText(Repository.File(source)));
        var random = new Random(11);
        var types = model.Watched.Types.Append("unwatched_type").ToArray();
        var compared = 0;
        for (var contact = 0; contact < 300; contact++)
        {
            var events = new List<ActivityEvent>();
            for (var i = random.Next(0, 60); i > 0; i--)
            {
                var type = types[random.Next(types.Length)];
                events.Add(Event(type, Some.Now.UtcTicks - (long)(random.NextDouble() * 3 * 365 * Day) + 3 * Day, random));
            }

            // Events on each edge of each lookback: the instant the store reads from, and a tick either side.
            foreach (var type in types)
            {
                if (model.Watched.LookbackTicksOf(type) is { } lookback && lookback != WatchedEvents.AllHistory)
                {
                    var edge = Some.Now.UtcTicks - lookback;
                    events.AddRange([Event(type, edge - 1, random), Event(type, edge, random), Event(type, edge + 1, random)]);
                }
            }

            events.Sort((a, b) => a.OccurredAtUtcTicks.CompareTo(b.OccurredAtUtcTicks));
            var fields = Some.Fields(("age", 40), ("country", "US"), ("email", "a@b.example"), ("employees", 250), ("industry", "saas"));
            var all = model.Score(ScoringSubject.ForContact("c1", fields, events), Some.Now);
            var kept = model.Score(ScoringSubject.ForContact("c1", fields, [.. events.Where(e => model.Watched.MayCount(e, Some.Now))]), Some.Now);

            ScoreLine.ToJson(kept).ShouldBe(ScoreLine.ToJson(all));
            compared += events.Any(e => !model.Watched.MayCount(e, Some.Now)) ? 1 : 0;
        }

        compared.ShouldBeGreaterThan(100, "most contacts must have events left out, or the comparison proves little");
    }

    private static ActivityEvent Event(string type, long ticks, Random random) =>
        new(Guid.NewGuid().ToString("N"), type, new DateTimeOffset(ticks, TimeSpan.Zero), Some.Fields(("url", random.Next(3) == 0 ? "/pricing" : "/blog")));
}
