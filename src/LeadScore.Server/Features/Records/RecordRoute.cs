using LeadScore.Engine.Model;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using LeadScore.Storage.Rows;

namespace LeadScore.Server.Features.Records;

/// <summary>What differs between the contacts, companies and deals endpoints: names, how a body is read, how it is written.</summary>
internal sealed record RecordRoute<T>(
    RecordKind Kind,
    string Plural,
    string Noun,
    Func<SourceRow, RowReading<T>> Read,
    Func<T, string> IdOf,
    Func<ILeadStore, WorkspaceId, IReadOnlyList<T>, CancellationToken, Task<WriteResult>> UpsertAsync)
    where T : class;

internal static class RecordRoutes
{
    public static RecordRoute<ContactInput> Contacts { get; } = new(
        RecordKind.Contact, "contacts", "contact", InputRows.Contact, c => c.Id, (s, w, b, ct) => s.Records.UpsertContactsAsync(w, b, ct));

    public static RecordRoute<CompanyInput> Companies { get; } = new(
        RecordKind.Company, "companies", "company", InputRows.Company, c => c.Id, (s, w, b, ct) => s.Records.UpsertCompaniesAsync(w, b, ct));

    public static RecordRoute<DealInput> Deals { get; } = new(
        RecordKind.Deal, "deals", "deal", InputRows.Deal, d => d.Id, (s, w, b, ct) => s.Records.UpsertDealsAsync(w, b, ct));
}
