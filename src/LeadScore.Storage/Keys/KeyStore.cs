using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Keys;

/// <summary>
/// API keys (stored hashed) and the dashboard sessions made from them.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Keys</c>.
/// </summary>
public sealed class KeyStore
{
    private readonly SqlLeadStore _sql;

    internal KeyStore(SqlLeadStore sql) => _sql = sql;

    /// <summary>
    /// Makes an API key for a workspace (created when new) and returns its text, which is stored only
    /// as a hash: show it once.
    /// </summary>
    public Task<CreatedApiKey> CreateApiKeyAsync(WorkspaceId workspace, ApiKeyScope scope, string? name = null, CancellationToken cancellationToken = default) =>
        _sql.CreateApiKeyAsync(workspace, scope, name, cancellationToken);

    /// <summary>
    /// The key a presented key text (<c>lsk_&lt;id&gt;_&lt;secret&gt;</c>) belongs to, in any workspace;
    /// null when it is malformed, unknown or revoked. Compares hashes in constant time.
    /// </summary>
    public Task<ApiKey?> FindApiKeyAsync(string secret, CancellationToken cancellationToken = default) =>
        _sql.FindApiKeyAsync(secret, cancellationToken);

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.ListApiKeysAsync(workspace, cancellationToken);

    /// <summary>Revokes a key of the workspace, and the dashboard sessions signed in with it; false when the workspace has no such key.</summary>
    public Task<bool> RevokeApiKeyAsync(WorkspaceId workspace, string keyId, CancellationToken cancellationToken = default) =>
        _sql.RevokeApiKeyAsync(workspace, keyId, cancellationToken);

    /// <summary>Whether any key exists in any workspace: a first start creates the first admin key.</summary>
    public Task<bool> AnyApiKeyAsync(CancellationToken cancellationToken = default) =>
        _sql.AnyApiKeyAsync(cancellationToken);

    /// <summary>
    /// Signs the dashboard in with a key of the workspace: a new session, with the key's scope, that
    /// ends after <paramref name="lifetime"/>. Its id (<c>lss_</c> and 256 random bits, base64url) is
    /// returned once and stored only as a SHA-256 hash. Null when the key is unknown or revoked.
    /// </summary>
    public Task<CreatedDashboardSession?> CreateDashboardSessionAsync(WorkspaceId workspace, string keyId, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        _sql.CreateDashboardSessionAsync(workspace, keyId, lifetime, cancellationToken);

    /// <summary>
    /// The session a presented id belongs to, in any workspace, whatever its state (signed out,
    /// expired, its key revoked: see <see cref="DashboardSession.StateAt"/>); null when the text is
    /// malformed or no session has that id.
    /// </summary>
    public Task<DashboardSession?> FindDashboardSessionAsync(string secret, CancellationToken cancellationToken = default) =>
        _sql.FindDashboardSessionAsync(secret, cancellationToken);

    /// <summary>Ends a session (signing out); false when no session has that id.</summary>
    public Task<bool> RevokeDashboardSessionAsync(string secret, CancellationToken cancellationToken = default) =>
        _sql.RevokeDashboardSessionAsync(secret, cancellationToken);
}
