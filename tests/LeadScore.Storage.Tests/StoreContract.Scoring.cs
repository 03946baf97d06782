using LeadScore.Engine.Model;
using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task IngestEvents_TwoPublishedModels_RescoresTheContactUnderBoth()
    {
        await PublishAsync(Some.OpensModel("opens"));
        await PublishAsync(Some.Model("""{"key": "demo", "category": "engagement", "points": 30, "event": {"type": "demo_requested"}}""", "demos"));

        var result = await IngestAsync(Some.Event("c1", "demo_requested", id: "the-demo"), Some.Event("c2", "email_open"));

        result.Rescored.ShouldBeGreaterThan(0);
        (await ScoreAsync("c1", "opens")).ShouldNotBeNull().Points.ShouldBe(0);
        (await ScoreAsync("c2", "opens")).ShouldNotBeNull().Points.ShouldBe(2);
        var demo = (await ScoreAsync("c1", "demos")).ShouldNotBeNull();
        demo.Points.ShouldBe(30);
        demo.ScoredAt.ShouldBe(Some.Now);
        Some.RulesIn(demo.Line).ShouldBe(["demo"]);
        var change = (await HistoryAsync("c1", "demos")).Last();
        change.Cause.ShouldBe(ScoreChangeCause.Event);
        change.CauseId.ShouldBe("the-demo");
        change.NewScore.ShouldBe(30);
        change.At.ShouldBe(Some.Now);
    }

    [Fact]
    public async Task IngestEvents_ScoreAlreadyAtRuleMaximum_WritesNoHistoryRow()
    {
        await PublishAsync(Some.OpensModel());
        await IngestAsync(Some.Events("c1", "email_open", 10));
        var before = await HistoryAsync("c1");
        Clock.Advance(TimeSpan.FromMinutes(1));

        var result = await IngestAsync(Some.Event("c1", "email_open"), Some.Event("c1", "page_view"));

        result.Accepted.ShouldBe(2);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(20);
        (await HistoryAsync("c1")).Count.ShouldBe(before.Count);
    }

    [Fact]
    public async Task UpsertContacts_ChangedField_RescoresWithCauseFieldChange()
    {
        await UpsertAsync(Some.Contact("c1", ("jobTitle", "Engineer")));
        await PublishAsync(Some.SeniorModel());
        Clock.Advance(TimeSpan.FromHours(1));

        var result = await UpsertAsync(Some.Contact("c1", ("jobTitle", "VP Sales")));

        result.Written.ShouldBe(1);
        result.Rescored.ShouldBe(1);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(15);
        var change = (await HistoryAsync("c1")).Last();
        change.Cause.ShouldBe(ScoreChangeCause.FieldChange);
        change.NewScore.ShouldBe(15);
        change.At.ShouldBe(Some.Now.AddHours(1));
    }

    [Fact]
    public async Task UpsertContacts_NewContactAfterPublish_IsScoredAtOnce()
    {
        await PublishAsync(Some.SeniorModel());

        var result = await UpsertAsync(Some.Contact("c1", ("jobTitle", "VP Sales")));

        result.Rescored.ShouldBe(1);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(15);
    }

    [Fact]
    public async Task UpsertContacts_SameFieldsAgain_ChangesNothing()
    {
        await PublishAsync(Some.SeniorModel());
        await UpsertAsync(Some.Contact("c1", ("jobTitle", "VP Sales")));
        var history = await HistoryAsync("c1");

        var result = await UpsertAsync(Some.Contact("c1", ("jobTitle", "VP Sales")));

        result.Unchanged.ShouldBe(1);
        result.Rescored.ShouldBe(0);
        (await HistoryAsync("c1")).Count.ShouldBe(history.Count);
    }

    [Fact]
    public async Task UpsertContacts_Update_KeepsTheFieldsItDoesNotName()
    {
        await UpsertAsync(Some.Contact("c1", ("email", "c1@example.com"), ("jobTitle", "Engineer")));

        await UpsertAsync(Some.Contact("c1", ("jobTitle", "VP Sales")));

        var contact = (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "c1", Ct)).ShouldNotBeNull();
        contact.Fields["email"].Text.ShouldBe("c1@example.com");
        contact.Fields["jobTitle"].Text.ShouldBe("VP Sales");
    }

    [Fact]
    public async Task IngestEvents_RepeatedTypesPropertiesAndUnusualFieldNames_ScoreAsEachEventSays()
    {
        // The re-score shares repeated event types and properties texts and field names between
        // records: a type in another case, the same properties on several events, a field name out of
        // ASCII and one too long to share must each still count as written.
        var longName = "custom" + new string('x', 80);
        await PublishAsync(Some.Model("""
            {"key": "region", "category": "fit", "points": 10, "when": {"field": "région", "eq": "Île-de-France"}},
            {"key": "long", "category": "fit", "points": 7, "when": {"field": "LONG", "eq": "yes"}},
            {"key": "pricing", "category": "engagement", "points": 5, "per": "occurrence", "maxPoints": 40,
             "event": {"type": "page_view", "where": {"field": "url", "contains": "/pricing"}}}
            """.Replace("LONG", longName, StringComparison.Ordinal)));
        await UpsertAsync(Some.Contact("c1", ("région", "Île-de-France"), (longName, "yes")), Some.Contact("c2", ("région", "Bretagne")));

        await IngestAsync(
            Some.Event("c1", "page_view", properties: ("url", "/pricing")),
            Some.Event("c1", "Page_View", properties: ("url", "/pricing")),
            Some.Event("c2", "page_view", properties: ("url", "/pricing")),
            Some.Event("c2", "PAGE_VIEW", properties: ("url", "/docs")),
            Some.Event("c2", "page_view", properties: ("url", "/pricing?plan=é")));

        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(10 + 7 + 10);
        (await ScoreAsync("c2")).ShouldNotBeNull().Points.ShouldBe(10);
    }

    [Fact]
    public async Task IngestAndPublish_LongHistory_ScoreAsIfEveryEventWereRead()
    {
        // A re-score reads each type's events only as far back as some behaviour of a published model
        // looks. What it leaves unread must never change a score: events on each side of a window's
        // edge, a type one model looks at further back than the other, and one counted over all history.
        var narrow = Some.Model("""
            {"key": "pages", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 20, "event": {"type": "page_view", "within": "14d"}},
            {"key": "opens", "category": "engagement", "points": 3, "per": "occurrence", "maxPoints": 12, "event": {"type": "email_open"}, "decay": {"expiresAfter": "30d"}},
            {"key": "demo", "category": "engagement", "points": 20, "event": {"type": "demo_requested"}, "decay": {"halfLife": "365d"}}
            """);
        var wide = Some.Model("""{"key": "visits", "category": "engagement", "points": 1, "per": "occurrence", "maxPoints": 30, "event": {"type": "Page_View", "within": "60d"}}""", "wide");
        var micro = TimeSpan.FromTicks(10);
        EventInput[] history =
        [
            Some.Event("c1", "page_view", Some.Now.AddDays(-13.99)),
            Some.Event("c1", "page_view", Some.Now.AddDays(-14) + micro),
            Some.Event("c1", "page_view", Some.Now.AddDays(-14)),
            Some.Event("c1", "PAGE_VIEW", Some.Now.AddDays(-59)),
            Some.Event("c1", "page_view", Some.Now.AddDays(-400)),
            Some.Event("c1", "email_open", Some.Now.AddDays(-29)),
            Some.Event("c1", "email_open", Some.Now.AddDays(-31)),
            Some.Event("c1", "demo_requested", Some.Now.AddDays(-700)),
            Some.Event("c1", "webinar_attended", Some.Now.AddDays(-1)),
        ];
        await PublishAsync(narrow);
        await IngestAsync(history);
        await PublishAsync(wide);

        async Task ShouldScoreAsEveryEventSays(params EventInput[] events)
        {
            var subject = ScoringSubject.ForContact("c1", Some.Fields(), [.. events.Select(Some.Activity).OrderBy(e => e.OccurredAt)]);
            (await ScoreAsync("c1")).ShouldNotBeNull().Line.ShouldBe(Some.OfflineLine(narrow, subject, Clock.GetUtcNow()));
            (await ScoreAsync("c1", "wide")).ShouldNotBeNull().Line.ShouldBe(Some.OfflineLine(wide, subject, Clock.GetUtcNow()));
        }

        await ShouldScoreAsEveryEventSays(history);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBeGreaterThan(2 * 2 + 3, "the demo two years ago still counts, decayed");

        Clock.Advance(TimeSpan.FromDays(1));
        var today = Some.Event("c1", "page_view", Clock.GetUtcNow().AddMinutes(-1));
        await IngestAsync(today);
        await ShouldScoreAsEveryEventSays([.. history, today]);
    }

    [Fact]
    public async Task IngestEvents_EveryBehaviourWindowed_ScoresAsIfEveryEventWereRead()
    {
        // With a window on every behaviour, the read also starts each contact's range at the oldest
        // window's edge: the page view 20 days ago is outside its own 14 days but inside that range.
        var model = Some.Model("""
            {"key": "pages", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 20, "event": {"type": "page_view", "within": "14d"}},
            {"key": "opens", "category": "engagement", "points": 3, "per": "occurrence", "maxPoints": 12, "event": {"type": "email_open", "within": "30d"}}
            """);
        EventInput[] events =
        [
            Some.Event("c1", "page_view", Some.Now.AddDays(-14) + TimeSpan.FromTicks(10)),
            Some.Event("c1", "page_view", Some.Now.AddDays(-20)),
            Some.Event("c1", "email_open", Some.Now.AddDays(-30) + TimeSpan.FromTicks(10)),
            Some.Event("c1", "email_open", Some.Now.AddDays(-30)),
            Some.Event("c1", "email_open", Some.Now.AddDays(-300)),
            Some.Event("c1", "page_view", Some.Now.AddDays(2)),
        ];
        await PublishAsync(model);

        await IngestAsync(events);

        var subject = ScoringSubject.ForContact("c1", Some.Fields(), [.. events.Select(Some.Activity).OrderBy(e => e.OccurredAt)]);
        var stored = (await ScoreAsync("c1")).ShouldNotBeNull();
        stored.Line.ShouldBe(Some.OfflineLine(model, subject, Some.Now));
        stored.Points.ShouldBe(2 + 3);
    }
}
