using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    private const string ExampleModelKey = "b2b-saas";

    private static readonly ContactInput[] ExampleContacts =
    [
        Some.Contact("ann", ("age", 34), ("country", "US"), ("email", "ann@acme.example"), ("employees", 1200),
            ("industry", "software"), ("jobTitle", "VP Marketing")),
        Some.Contact("bob", ("age", 17), ("country", "DE"), ("email", "bob@rival.example"), ("employees", 40), ("industry", "retail")),
        Some.Contact("cid", ("age", 45), ("country", "CA"), ("email", "cid@globex.example"), ("employees", "300"),
            ("industry", "saas"), ("seniority", "executive")),
        Some.Contact("dee"),
    ];

    private static readonly EventInput[] ExampleEventsBeforePublish =
    [
        .. Enumerable.Range(0, 7).Select(i => Some.Event("ann", "email_open", Some.Now.AddDays(-6 * i))),
        Some.Event("bob", "demo_requested", Some.Now.AddDays(-3)),
        Some.Event("cid", "page_view", Some.Now.AddDays(-20), null, ("url", "https://globex.example/pricing")),
    ];

    private static readonly EventInput[] ExampleEventsAfterPublish =
    [
        Some.Event("ann", "page_view", Some.Now.AddDays(-10), null, ("url", "https://acme.example/pricing")),
        Some.Event("ann", "page_view", Some.Now.AddDays(-2), null, ("url", "https://acme.example/pricing")),
        Some.Event("ann", "demo_requested", Some.Now.AddDays(-10)),
        Some.Event("cid", "unsubscribe", Some.Now.AddDays(-5)),
        Some.Event("cid", "email_open", Some.Now.AddHours(-1)),
    ];

    private static readonly AdjustmentInput ExampleAdjustment = new("cid", ExampleModelKey, "ideal-lead", 5, "Good call", Some.Now.AddDays(10));

    [Fact]
    public async Task StoredLine_ExampleModel_EqualsOfflineScoringOfTheSameData()
    {
        var model = await StoreExampleLeadsAsync();

        var stored = await ListScoresAsync(ExampleModelKey);

        stored.Select(s => s.RecordId).ShouldBe(["ann", "bob", "cid", "dee"]);
        foreach (var score in stored)
        {
            score.ScoredAt.ShouldBe(score.RecordId is "ann" or "cid" ? Clock.UtcNow : Some.Now, score.RecordId);
            score.Line.ShouldBe(Some.LineOf(Some.OfflineCard(model, ExampleSubject(score.RecordId), score.ScoredAt)), score.RecordId);
        }
    }

    [Fact]
    public async Task Sweep_DaysLater_StoredScoresEqualOfflineScoringThen()
    {
        var model = await StoreExampleLeadsAsync();
        Clock.Advance(TimeSpan.FromDays(12));

        for (var round = 0; round < 5 && await Store.Scores.SweepAsync(cancellationToken: Ct) > 0; round++)
        {
        }

        foreach (var score in await ListScoresAsync(ExampleModelKey))
        {
            var now = Some.OfflineCard(model, ExampleSubject(score.RecordId), Clock.UtcNow);
            (score.Score, score.Points).ShouldBe((now.Score, now.Points), score.RecordId);
            score.Line.ShouldBe(Some.LineOf(Some.OfflineCard(model, ExampleSubject(score.RecordId), score.ScoredAt)), score.RecordId);
        }
    }

    /// <summary>Stores the example leads: some events before the model is published, the rest and an adjustment an hour after.</summary>
    private async Task<string> StoreExampleLeadsAsync()
    {
        var model = Some.ExampleModel("b2b-saas.json");
        await Store.Records.UpsertContactsAsync(Default, ExampleContacts, Ct);
        await IngestAsync(ExampleEventsBeforePublish);
        await PublishAsync(model);
        Clock.Advance(TimeSpan.FromHours(1));
        await IngestAsync(ExampleEventsAfterPublish);
        (await Store.Scores.AddAdjustmentAsync(Default, ExampleAdjustment, Ct)).Succeeded.ShouldBeTrue();
        return model;
    }

    private static ScoringSubject ExampleSubject(string contactId)
    {
        var contact = ExampleContacts.Single(c => c.Id == contactId);
        var events = ExampleEventsBeforePublish.Concat(ExampleEventsAfterPublish).Where(e => e.ContactId == contactId).Select(Some.Activity).ToArray();
        ScoreAdjustment[] adjustments = contactId == ExampleAdjustment.ContactId
            ? [new ScoreAdjustment(ExampleAdjustment.Category, ExampleAdjustment.Points, ExampleAdjustment.Reason, ExampleAdjustment.ExpiresAt)]
            : [];
        return ScoringSubject.ForContact(contactId, contact.Fields, events, adjustments);
    }
}
