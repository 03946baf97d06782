using LeadScore.Engine.Model;
using LeadScore.Engine.Subjects;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Records;

/// <summary>
/// Contacts, companies and deals with their typed fields: upsert, read, list, delete and erase.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Records</c>.
/// </summary>
public sealed class RecordStore
{
    private readonly SqlLeadStore _sql;

    internal RecordStore(SqlLeadStore sql) => _sql = sql;

    public Task<WriteResult> DefineFieldsAsync(WorkspaceId workspace, IReadOnlyList<FieldDefinition> definitions, CancellationToken cancellationToken = default) =>
        _sql.DefineFieldsAsync(workspace, definitions, cancellationToken);

    public Task<IReadOnlyList<FieldDefinition>> GetFieldDefinitionsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.GetFieldDefinitionsAsync(workspace, cancellationToken);

    /// <summary>Creates or updates contacts; a contact whose fields changed is re-scored (cause: field change).</summary>
    public Task<WriteResult> UpsertContactsAsync(WorkspaceId workspace, IReadOnlyList<ContactInput> contacts, CancellationToken cancellationToken = default) =>
        _sql.UpsertContactsAsync(workspace, contacts, cancellationToken);

    public Task<WriteResult> UpsertCompaniesAsync(WorkspaceId workspace, IReadOnlyList<CompanyInput> companies, CancellationToken cancellationToken = default) =>
        _sql.UpsertCompaniesAsync(workspace, companies, cancellationToken);

    public Task<WriteResult> UpsertDealsAsync(WorkspaceId workspace, IReadOnlyList<DealInput> deals, CancellationToken cancellationToken = default) =>
        _sql.UpsertDealsAsync(workspace, deals, cancellationToken);

    public Task<StoredRecord?> GetRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default) =>
        _sql.GetRecordAsync(workspace, kind, id, cancellationToken);

    /// <summary>
    /// Records of a kind ordered by id, <paramref name="limit"/> (1 to 1,000) at a time after the
    /// opaque cursor of the previous page (null for the first). Fails with <c>invalid-limit</c>, or
    /// <c>invalid-cursor</c> for a cursor this list did not make.
    /// </summary>
    public Task<StoreResult<Page<StoredRecord>>> ListRecordsAsync(WorkspaceId workspace, RecordKind kind, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default) =>
        _sql.ListRecordsAsync(workspace, kind, cursor, limit, cancellationToken);

    /// <summary>
    /// Removes a record and its current scores, so it leaves every list; its events, history and
    /// outcomes stay for reports. False when there was no such record.
    /// </summary>
    public Task<bool> DeleteRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default) =>
        _sql.DeleteRecordAsync(workspace, kind, id, cancellationToken);

    /// <summary>
    /// Removes a record and everything kept about it, for good, in one transaction: its scores, score
    /// history, adjustments and outcomes, and a contact's events (deals keep no link to an erased
    /// contact). The right to be forgotten. Null when there was nothing to erase.
    /// </summary>
    public Task<ErasedRecord?> EraseRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default) =>
        _sql.EraseRecordAsync(workspace, kind, id, cancellationToken);

    /// <summary>How many contacts the workspace has.</summary>
    public Task<long> CountContactsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.CountContactsAsync(workspace, cancellationToken);
}
