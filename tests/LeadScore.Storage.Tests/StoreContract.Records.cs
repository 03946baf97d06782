using LeadScore.Engine.Model;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task ListRecords_PageByPage_ReturnsEveryRecordOnceInIdOrder()
    {
        await Store.Records.UpsertContactsAsync(Default, [.. Enumerable.Range(1, 25).Select(i => Some.Contact($"c{i:00}", ("jobTitle", $"title {i}")))], Ct);
        await Store.Workspaces.EnsureWorkspaceAsync(new WorkspaceId("other"), "Other", Ct);
        await Store.Records.UpsertContactsAsync(new WorkspaceId("other"), [Some.Contact("c00")], Ct);

        var pages = new List<Page<StoredRecord>>();
        string? cursor = null;
        do
        {
            var page = await Store.Records.ListRecordsAsync(Default, RecordKind.Contact, cursor, 10, Ct);
            page.Succeeded.ShouldBeTrue(page.Error?.ToString());
            pages.Add(page.Value);
            cursor = page.Value.NextCursor;
        }
        while (cursor is not null);

        pages.Select(p => p.Items.Count).ShouldBe([10, 10, 5]);
        pages.SelectMany(p => p.Items).Select(r => r.Id).ShouldBe(Enumerable.Range(1, 25).Select(i => $"c{i:00}"));
        pages[0].Items[0].Fields["jobTitle"].Text.ShouldBe("title 1");
    }

    [Fact]
    public async Task ListRecords_ExactlyOnePage_HasNoNextCursor()
    {
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("a"), Some.Company("b")], Ct);

        var page = await Store.Records.ListRecordsAsync(Default, RecordKind.Company, null, 2, Ct);

        page.Value.ShouldNotBeNull().Items.Select(r => r.Id).ShouldBe(["a", "b"]);
        page.Value.NextCursor.ShouldBeNull();
    }

    [Fact]
    public async Task ListRecords_Deals_CarryTheirLinks()
    {
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d1", "c1", "acme", ("amount", 100))], Ct);

        var page = await Store.Records.ListRecordsAsync(Default, RecordKind.Deal, null, 100, Ct);

        var deal = page.Value.ShouldNotBeNull().Items.ShouldHaveSingleItem();
        (deal.Id, deal.ContactId, deal.CompanyId, deal.UpdatedAt).ShouldBe(("d1", "c1", "acme", Some.Now));
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("bm90IGpzb24")]
    [InlineData("")]
    public async Task ListRecords_GarbageCursor_FailsWithInvalidCursor(string cursor)
    {
        await UpsertAsync(Some.Contact("c1"));

        var page = await Store.Records.ListRecordsAsync(Default, RecordKind.Contact, cursor, 10, Ct);

        page.Error.ShouldNotBeNull().Code.ShouldBe("invalid-cursor");
    }

    [Fact]
    public async Task ListRecords_CursorOfAnotherKind_FailsWithInvalidCursor()
    {
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("a"), Some.Company("b")], Ct);
        var companies = await Store.Records.ListRecordsAsync(Default, RecordKind.Company, null, 1, Ct);

        var contacts = await Store.Records.ListRecordsAsync(Default, RecordKind.Contact, companies.Value!.NextCursor, 1, Ct);

        contacts.Error.ShouldNotBeNull().Code.ShouldBe("invalid-cursor");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public async Task ListRecords_LimitOutOfRange_FailsWithInvalidLimit(int limit)
    {
        var page = await Store.Records.ListRecordsAsync(Default, RecordKind.Contact, null, limit, Ct);

        page.Error.ShouldNotBeNull().Code.ShouldBe("invalid-limit");
        page.Error.Message.ShouldContain("1000");
    }

    [Fact]
    public async Task Delete_Contact_KeepsEventsAndHistoryButLeavesLists()
    {
        await PublishAsync(Some.OpensModel());
        await IngestAsync(Some.Event("c1", "email_open"), Some.Event("c2", "email_open"));
        await Store.Outcomes.RecordOutcomesAsync(Default, [new OutcomeInput(RecordKind.Contact, "c1", OutcomeKind.Converted, Some.Now)], Ct);

        var deleted = await Store.Records.DeleteRecordAsync(Default, RecordKind.Contact, "c1", Ct);

        deleted.ShouldBeTrue();
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "c1", Ct)).ShouldBeNull();
        (await ScoreAsync("c1")).ShouldBeNull();
        (await ListScoresAsync("m")).Select(s => s.RecordId).ShouldBe(["c2"]);
        (await Store.Records.ListRecordsAsync(Default, RecordKind.Contact, null, 10, Ct)).Value!.Items.Select(r => r.Id).ShouldBe(["c2"]);
        (await Store.Events.GetEventsAsync(Default, "c1", Ct)).Count.ShouldBe(1);
        (await HistoryAsync("c1")).ShouldNotBeEmpty();
        (await Store.Outcomes.GetOutcomesAsync(Default, Ct)).ShouldHaveSingleItem().RecordId.ShouldBe("c1");
    }

    [Fact]
    public async Task Delete_UnknownRecord_ReturnsFalse()
    {
        await UpsertAsync(Some.Contact("c1"));

        var deleted = await Store.Records.DeleteRecordAsync(Default, RecordKind.Company, "c1", Ct);

        deleted.ShouldBeFalse();
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "c1", Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Delete_ContactOfACompany_RescoresTheCompanyWithoutItsEvents()
    {
        var accounts = Some.Model(Some.OpensRule, "accounts", "company");
        await Store.Records.UpsertCompaniesAsync(Default, [Some.Company("acme")], Ct);
        await Store.Records.UpsertContactsAsync(Default, [Some.Contact("c1", "acme"), Some.Contact("c2", "acme")], Ct);
        await PublishAsync(accounts);
        await IngestAsync(Some.Event("c1", "email_open"), Some.Event("c2", "email_open"));
        (await ScoreAsync("acme", "accounts", RecordKind.Company)).ShouldNotBeNull().Points.ShouldBe(4);

        await Store.Records.DeleteRecordAsync(Default, RecordKind.Contact, "c1", Ct);

        (await ScoreAsync("acme", "accounts", RecordKind.Company)).ShouldNotBeNull().Points.ShouldBe(2);
    }

    [Fact]
    public async Task Erase_Contact_RemovesEventsScoresAndHistory()
    {
        var other = new WorkspaceId("other");
        await Store.Workspaces.EnsureWorkspaceAsync(other, "Other", Ct);
        await PublishAsync(Some.OpensModel());
        await PublishAsync(Some.OpensModel(), other);
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d1", "c1", "acme")], Ct);
        await IngestAsync(Some.Event("c1", "email_open"), Some.Event("c1", "email_open"), Some.Event("c2", "email_open"));
        await Store.Events.IngestEventsAsync(other, [Some.Event("c1", "email_open")], null, Ct);
        await Store.Scores.AddAdjustmentAsync(Default, new AdjustmentInput("c1", "m", "fit", 5, "met at the fair"), Ct);
        await Store.Outcomes.RecordOutcomesAsync(Default, [new OutcomeInput(RecordKind.Contact, "c1", OutcomeKind.Converted, Some.Now)], Ct);

        var erased = await Store.Records.EraseRecordAsync(Default, RecordKind.Contact, "c1", Ct);

        erased.ShouldNotBeNull();
        (erased.Kind, erased.Id, erased.Events, erased.Scores, erased.Outcomes, erased.Adjustments).ShouldBe((RecordKind.Contact, "c1", 2, 1, 1, 1));
        erased.HistoryRows.ShouldBe(2);
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "c1", Ct)).ShouldBeNull();
        (await Store.Events.GetEventsAsync(Default, "c1", Ct)).ShouldBeEmpty();
        (await ScoreAsync("c1")).ShouldBeNull();
        (await HistoryAsync("c1")).ShouldBeEmpty();
        (await Store.Outcomes.GetOutcomesAsync(Default, Ct)).ShouldBeEmpty();
        (await Store.Records.GetRecordAsync(Default, RecordKind.Deal, "d1", Ct)).ShouldNotBeNull().ContactId.ShouldBeNull();
        (await ScoreAsync("c2")).ShouldNotBeNull().Points.ShouldBe(2);
        (await Store.Events.GetEventsAsync(Default, "c2", Ct)).Count.ShouldBe(1);
        (await Store.Events.GetEventsAsync(other, "c1", Ct)).Count.ShouldBe(1);
        (await Store.Scores.GetScoreAsync(other, "m", RecordKind.Contact, "c1", Ct)).ShouldNotBeNull().Points.ShouldBe(2);
        (await Store.Scores.GetHistoryAsync(other, "m", RecordKind.Contact, "c1", Ct)).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Erase_AfterDelete_RemovesWhatDeleteKept()
    {
        await PublishAsync(Some.OpensModel());
        await IngestAsync(Some.Event("c1", "email_open"));
        await Store.Records.DeleteRecordAsync(Default, RecordKind.Contact, "c1", Ct);

        var erased = await Store.Records.EraseRecordAsync(Default, RecordKind.Contact, "c1", Ct);

        erased.ShouldNotBeNull();
        (erased.Events, erased.Scores, erased.HistoryRows).ShouldBe((1, 0, 1));
        (await CountEventsAsync()).ShouldBe(0);
        (await HistoryAsync("c1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Erase_NothingKept_ReturnsNull()
    {
        await UpsertAsync(Some.Contact("c1"));

        var erased = await Store.Records.EraseRecordAsync(Default, RecordKind.Contact, "nobody", Ct);

        erased.ShouldBeNull();
        (await Store.Records.GetRecordAsync(Default, RecordKind.Contact, "c1", Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Erase_Deal_RemovesItsScoresAndOutcomesOnly()
    {
        var deals = Some.Model("""{"key": "big", "category": "fit", "points": 10, "when": {"field": "amount", "gte": 1000}}""", "deals", "deal");
        await Store.Records.UpsertDealsAsync(Default, [Some.Deal("d1", "c1", "acme", ("amount", 5000)), Some.Deal("d2", "c1", "acme", ("amount", 5000))], Ct);
        await PublishAsync(deals);
        await Store.Outcomes.RecordOutcomesAsync(Default, [new OutcomeInput(RecordKind.Deal, "d1", OutcomeKind.Won, Some.Now, 5000m)], Ct);

        var erased = await Store.Records.EraseRecordAsync(Default, RecordKind.Deal, "d1", Ct);

        erased.ShouldNotBeNull();
        (erased.Events, erased.Scores, erased.HistoryRows, erased.Outcomes).ShouldBe((0, 1, 1, 1));
        (await ListScoresAsync("deals")).Select(s => s.RecordId).ShouldBe(["d2"]);
        (await HistoryAsync("d2", "deals", RecordKind.Deal)).ShouldNotBeEmpty();
    }
}
