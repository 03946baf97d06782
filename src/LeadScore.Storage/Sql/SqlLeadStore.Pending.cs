using LeadScore.Storage.Records;

namespace LeadScore.Storage.Sql;

// Being implemented (issue 4); this file goes when the last member has its real body.
internal sealed partial class SqlLeadStore
{
    public Task<StoreResult<Page<StoredRecord>>> ListRecordsAsync(WorkspaceId workspace, RecordKind kind, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<bool> DeleteRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<ErasedRecord?> EraseRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<StoreResult<IReadOnlyList<ModelVersion>>> ArchiveModelAsync(WorkspaceId workspace, string modelKey, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<StoreResult<Page<StoredScore>>> ListLeadsAsync(WorkspaceId workspace, LeadQuery query, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<CreatedApiKey> CreateApiKeyAsync(WorkspaceId workspace, ApiKeyScope scope, string? name = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<ApiKey?> FindApiKeyAsync(string secret, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<bool> RevokeApiKeyAsync(WorkspaceId workspace, string keyId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<bool> AnyApiKeyAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
