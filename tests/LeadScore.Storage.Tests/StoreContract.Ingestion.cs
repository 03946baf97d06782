using LeadScore.Engine.Model;
using LeadScore.Engine.Values;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task IngestEvents_OneByOne_StoresEach()
    {
        var results = new List<IngestResult>();

        foreach (var input in new[] { Some.Event("c1", "email_open"), Some.Event("c1", "page_view"), Some.Event("c2", "email_open") })
        {
            results.Add(await IngestAsync(input));
        }

        results.ShouldAllBe(r => r.Accepted == 1 && r.Duplicates == 0 && r.Rejected.IsEmpty);
        (await CountEventsAsync()).ShouldBe(3);
    }

    [Fact]
    public async Task IngestEvents_Batch_StoresAllAndCreatesTheirContacts()
    {
        var batch = Enumerable.Range(0, 500).Select(i => Some.Event($"c{i % 50}", "email_open", Some.Now.AddMinutes(-i))).ToArray();

        var result = await IngestAsync(batch);

        result.Accepted.ShouldBe(500);
        result.Rejected.ShouldBeEmpty();
        result.CreatedContacts.Length.ShouldBe(50);
        (await CountEventsAsync()).ShouldBe(500);
    }

    [Fact]
    public async Task IngestEvents_ResentBatch_CountsOnceAndChangesNothing()
    {
        await PublishAsync(Some.OpensModel());
        EventInput[] batch = [Some.Event("c1", "email_open"), Some.Event("c1", "email_open"), Some.Event("c2", "email_open")];
        await IngestAsync(batch);
        var score = await ScoreAsync("c1");
        var history = await HistoryAsync("c1");
        Clock.Advance(TimeSpan.FromMinutes(5));

        var again = await IngestAsync(batch);

        again.Accepted.ShouldBe(0);
        again.Duplicates.ShouldBe(3);
        again.CreatedContacts.ShouldBeEmpty();
        again.Rescored.ShouldBe(0);
        (await CountEventsAsync()).ShouldBe(3);
        var after = (await ScoreAsync("c1")).ShouldNotBeNull();
        after.Points.ShouldBe(4);
        after.Line.ShouldBe(score!.Line);
        after.ScoredAt.ShouldBe(score.ScoredAt);
        (await HistoryAsync("c1")).Count.ShouldBe(history.Count);
    }

    [Fact]
    public async Task IngestEvents_SameIdTwiceInOneBatch_CountsItOnce()
    {
        await PublishAsync(Some.OpensModel());

        var result = await IngestAsync(Some.Event("c1", "email_open", id: "twice"), Some.Event("c1", "email_open", id: "twice"));

        result.Accepted.ShouldBe(1);
        result.Duplicates.ShouldBe(1);
        (await CountEventsAsync()).ShouldBe(1);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(2);
    }

    [Fact]
    public async Task GetEvents_OfAContact_ReturnsThemOldestFirstWithTheirProperties()
    {
        await IngestAsync(
            Some.Event("c1", "page_view", Some.Now.AddHours(-1), "late", ("url", "https://acme.example/pricing"), ("seconds", 42), ("trial", true)),
            Some.Event("c1", "email_open", Some.Now.AddDays(-2), "early"),
            Some.Event("c2", "email_open", Some.Now.AddDays(-1), "someone-else"));

        var events = await Store.Events.GetEventsAsync(Default, "c1", Ct);

        events.Select(e => (e.Id, e.Type, e.OccurredAt)).ShouldBe([("early", "email_open", Some.Now.AddDays(-2)), ("late", "page_view", Some.Now.AddHours(-1))]);
        var properties = events[1].Properties;
        (properties["url"].Text, properties["seconds"].Number, properties["trial"].Kind).ShouldBe(("https://acme.example/pricing", 42, FieldKind.Boolean));
    }

    [Fact]
    public async Task IngestEvents_UnknownContactId_CreatesTheContact()
    {
        var result = await IngestAsync(Some.Event("newcomer", "email_open"));

        result.CreatedContacts.ShouldBe(["newcomer"]);
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "newcomer", Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task IngestEvents_UnknownEmail_CreatesOneContactWithThatEmail()
    {
        var first = await IngestAsync(Some.EventByEmail("ann@example.com", "email_open"));
        var second = await IngestAsync(Some.EventByEmail("ann@example.com", "page_view"));

        var id = first.CreatedContacts.ShouldHaveSingleItem();
        second.CreatedContacts.ShouldBeEmpty();
        second.Accepted.ShouldBe(1);
        var contact = (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, id, Ct)).ShouldNotBeNull();
        contact.Fields["email"].Text.ShouldBe("ann@example.com");
    }

    [Fact]
    public async Task IngestEvents_EmailOfKnownContact_CountsForThatContact()
    {
        await UpsertAsync(Some.Contact("bob", ("email", "bob@example.com")));
        await PublishAsync(Some.OpensModel());

        var result = await IngestAsync(Some.EventByEmail("bob@example.com", "email_open"));

        result.Accepted.ShouldBe(1);
        result.CreatedContacts.ShouldBeEmpty();
        (await ScoreAsync("bob")).ShouldNotBeNull().Points.ShouldBe(2);
    }

    [Fact]
    public async Task IngestEvents_EmailInAnotherCase_CountsForTheSameContact()
    {
        await UpsertAsync(Some.Contact("bob", ("email", "bob@example.com")));

        var result = await IngestAsync(Some.EventByEmail("Bob@Example.COM", "email_open"));

        result.CreatedContacts.ShouldBeEmpty();
    }

    [Fact]
    public async Task IngestEvents_StrictModeUnknownContact_RejectsItWithReasonAndKeepsTheRest()
    {
        await UpsertAsync(Some.Contact("known", ("email", "known@example.com")));
        EventInput[] batch =
        [
            Some.EventByEmail("known@example.com", "email_open"),
            Some.Event("stranger", "email_open", id: "from-stranger"),
            Some.EventByEmail("nobody@example.com", "email_open", id: "from-nobody"),
        ];

        var result = await Store.Events.IngestEventsAsync(Default, batch, new IngestOptions(Strict: true), Ct);

        result.Accepted.ShouldBe(1);
        result.CreatedContacts.ShouldBeEmpty();
        result.Rejected.Select(r => (r.Index, r.Id)).ShouldBe([(1, "from-stranger"), (2, "from-nobody")]);
        result.Rejected[0].Reason.ShouldContain("stranger");
        result.Rejected[1].Reason.ShouldContain("nobody@example.com");
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "stranger", Ct)).ShouldBeNull();
        (await CountEventsAsync()).ShouldBe(1);
    }
}
