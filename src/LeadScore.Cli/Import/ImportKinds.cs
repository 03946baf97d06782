using LeadScore.Storage.Records;
using LeadScore.Storage.Rows;

namespace LeadScore.Cli.Import;

/// <summary>The five kinds of file <c>leadscore import</c> reads, and the columns each expects.</summary>
internal static class ImportKinds
{
    public static ImportKind<ContactInput> Contacts { get; } = new(
        "contacts",
        InputRows.Contact,
        c => c.Id,
        async (store, workspace, batch, ct) => BatchOutcome.From(await store.Records.UpsertContactsAsync(workspace, batch, ct)));

    public static ImportKind<CompanyInput> Companies { get; } = new(
        "companies",
        InputRows.Company,
        c => c.Id,
        async (store, workspace, batch, ct) => BatchOutcome.From(await store.Records.UpsertCompaniesAsync(workspace, batch, ct)));

    public static ImportKind<DealInput> Deals { get; } = new(
        "deals",
        InputRows.Deal,
        d => d.Id,
        async (store, workspace, batch, ct) => BatchOutcome.From(await store.Records.UpsertDealsAsync(workspace, batch, ct)));

    public static ImportKind<OutcomeInput> Outcomes { get; } = new(
        "outcomes",
        InputRows.Outcome,
        null,
        async (store, workspace, batch, ct) => BatchOutcome.From(await store.Outcomes.RecordOutcomesAsync(workspace, batch, ct)));

    /// <summary>Events; the store counts an event id once, so a repeated id is not an error.</summary>
    public static ImportKind<EventInput> Events(bool strict)
    {
        var options = new IngestOptions(strict);
        return new(
            "events",
            InputRows.Event,
            null,
            async (store, workspace, batch, ct) => BatchOutcome.From(await store.Events.IngestEventsAsync(workspace, batch, options, ct)));
    }
}
