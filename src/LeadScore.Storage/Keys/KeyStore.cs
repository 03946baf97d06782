using System.Buffers.Text;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Keys;

/// <summary>
/// API keys (stored hashed) and the dashboard sessions made from them.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Keys</c>.
/// </summary>
public sealed class KeyStore
{
    /// <summary>How every key text starts, so that a leaked key is recognisable (secret scanners, logs).</summary>
    public const string KeyPrefix = "lsk_";

    public const int KeyIdLength = 12;

    private const string KeyIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private const int KeySecretBytes = 32;

    // lsk_ + id + _ + base64url of the secret bytes (no padding).
    private static readonly int KeyTextLength = KeyPrefix.Length + KeyIdLength + 1 + Base64Url.GetEncodedLength(KeySecretBytes);

    private const string KeyColumns = "id, workspace_id, name, scope, created_at_us, revoked_at_us";

    private readonly SqlLeadStore _store;

    internal KeyStore(SqlLeadStore store) => _store = store;

    /// <summary>
    /// Makes an API key for a workspace (created when new) and returns its text, which is stored only
    /// as a hash: show it once.
    /// </summary>
    public async Task<CreatedApiKey> CreateApiKeyAsync(WorkspaceId workspace, ApiKeyScope scope, string? name = null, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "A key's scope is ingest, read, write or admin.");
        }

        await _store.Workspaces.EnsureWorkspaceAsync(workspace, workspace.Value, cancellationToken).ConfigureAwait(false);
        var id = RandomNumberGenerator.GetString(KeyIdAlphabet, KeyIdLength);
        var text = $"{KeyPrefix}{id}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeySecretBytes))}";
        var key = new ApiKey(id, workspace, string.IsNullOrWhiteSpace(name) ? $"{Names.Of(scope)} key" : name.Trim(), scope, default, null);
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        key = key with { CreatedAt = session.Now };
        await session.ExecuteAsync("""
            INSERT INTO api_keys (workspace_id, id, name, scope, secret_hash, created_at_us, revoked_at_us)
            VALUES (@workspace, @id, @name, @scope, @hash, @at, NULL)
            """,
            c => c.With("@workspace", workspace.Value).With("@id", id).With("@name", key.Name).With("@scope", Names.Of(scope))
                .With("@hash", Convert.ToHexStringLower(HashOf(text))).With("@at", session.NowUs),
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedApiKey(key, text);
    }

    /// <summary>
    /// The key a presented key text (<c>lsk_&lt;id&gt;_&lt;secret&gt;</c>) belongs to, in any workspace;
    /// null when it is malformed, unknown or revoked. Compares hashes in constant time.
    /// </summary>
    public async Task<ApiKey?> FindApiKeyAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (KeyIdOf(secret) is not { } id)
        {
            return null;
        }

        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {KeyColumns}, secret_hash FROM api_keys WHERE id = @id";
        command.With("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var key = ReadKey(reader);
        // In constant time: how much of a guess matched must not show in how long the answer takes.
        var matches = CryptographicOperations.FixedTimeEquals(HashOf(secret), Convert.FromHexString(reader.GetString(6)));
        return matches && key.RevokedAt is null ? key : null;
    }

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            $"SELECT {KeyColumns} FROM api_keys WHERE workspace_id = @workspace ORDER BY created_at_us, id",
            c => c.With("@workspace", workspace.Value), ReadKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes a key of the workspace, and the dashboard sessions signed in with it; false when the workspace has no such key.</summary>
    public async Task<bool> RevokeApiKeyAsync(WorkspaceId workspace, string keyId, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        // Revoking twice keeps the first time.
        var found = await session.ExecuteAsync(
            "UPDATE api_keys SET revoked_at_us = COALESCE(revoked_at_us, @at) WHERE workspace_id = @workspace AND id = @id",
            c => c.With("@at", session.NowUs).With("@workspace", workspace.Value).With("@id", keyId),
            cancellationToken).ConfigureAwait(false) > 0;
        if (found)
        {
            await RevokeSessionsOfKeyAsync(session, workspace, keyId, cancellationToken).ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>Whether any key exists in any workspace: a first start creates the first admin key.</summary>
    public async Task<bool> AnyApiKeyAsync(CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadNumberAsync(
            "SELECT COUNT(*) FROM (SELECT 1 FROM api_keys LIMIT 1) AS any_key",
            _ => { },
            cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>The id part of a key text (<c>lsk_&lt;id&gt;_&lt;secret&gt;</c>), or null when the text cannot be a key.</summary>
    private static string? KeyIdOf(string? text)
    {
        if (text is null || text.Length != KeyTextLength || !text.StartsWith(KeyPrefix, StringComparison.Ordinal)
            || text[KeyPrefix.Length + KeyIdLength] != '_')
        {
            return null;
        }

        var id = text.Substring(KeyPrefix.Length, KeyIdLength);
        return id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) ? id : null;
    }

    private static byte[] HashOf(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private static ApiKey ReadKey(DbDataReader reader) => new(
        reader.GetString(0),
        new WorkspaceId(reader.GetString(1)),
        reader.GetString(2),
        Names.Scope(reader.GetString(3)),
        Micros.ToInstant(reader.GetInt64(4)),
        reader.NullableInt64(5) is { } revoked ? Micros.ToInstant(revoked) : null);

    /// <summary>How every session id starts, so that a leaked cookie is recognisable and never mistaken for a key.</summary>
    public const string SessionPrefix = "lss_";

    private const int SessionIdBytes = 32;

    private static readonly int SessionTextLength = SessionPrefix.Length + Base64Url.GetEncodedLength(SessionIdBytes);

    /// <summary>
    /// Signs the dashboard in with a key of the workspace: a new session, with the key's scope, that
    /// ends after <paramref name="lifetime"/>. Its id (<c>lss_</c> and 256 random bits, base64url) is
    /// returned once and stored only as a SHA-256 hash. Null when the key is unknown or revoked.
    /// </summary>
    public async Task<CreatedDashboardSession?> CreateDashboardSessionAsync(WorkspaceId workspace, string keyId, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var text = SessionPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SessionIdBytes));
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

        string name;
        ApiKeyScope scope;
        await using (var key = session.Command("SELECT name, scope FROM api_keys WHERE workspace_id = @workspace AND id = @id AND revoked_at_us IS NULL")
            .With("@workspace", workspace.Value).With("@id", keyId))
        await using (var reader = await key.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            (name, scope) = (reader.GetString(0), Names.Scope(reader.GetString(1)));
        }

        // Sessions past their end are of no use to anyone: each sign-in clears its workspace's.
        await using (var tidy = session.Command("DELETE FROM dashboard_sessions WHERE workspace_id = @workspace AND expires_at_us <= @now")
            .With("@workspace", workspace.Value).With("@now", session.NowUs))
        {
            await tidy.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var created = new DashboardSession(keyId, name, workspace, scope, session.Now, session.Now + lifetime, null, null);
        await using (var insert = session.Command("""
            INSERT INTO dashboard_sessions (workspace_id, id_hash, key_id, scope, created_at_us, expires_at_us, revoked_at_us)
            VALUES (@workspace, @hash, @key, @scope, @at, @expires, NULL)
            """).With("@workspace", workspace.Value).With("@hash", SessionHashOf(text)).With("@key", keyId).With("@scope", Names.Of(scope))
            .With("@at", session.NowUs).With("@expires", Micros.From(created.ExpiresAt)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedDashboardSession(created, text);
    }

    /// <summary>
    /// The session a presented id belongs to, in any workspace, whatever its state (signed out,
    /// expired, its key revoked: see <see cref="DashboardSession.StateAt"/>); null when the text is
    /// malformed or no session has that id.
    /// </summary>
    public async Task<DashboardSession?> FindDashboardSessionAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!IsSessionText(secret))
        {
            return null;
        }

        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // Read with its key: a key revoked while a sign-in with it was committing leaves that one
        // session unrevoked, and the key's own revoked_at still refuses it. Looking the hash up in an
        // index is not constant-time, which is harmless here: timing can reveal how much of a hash of
        // a 256-bit random id matched, never the id.
        command.CommandText = """
            SELECT s.key_id, k.name, s.workspace_id, s.scope, s.created_at_us, s.expires_at_us, s.revoked_at_us, k.revoked_at_us
            FROM dashboard_sessions s JOIN api_keys k ON k.workspace_id = s.workspace_id AND k.id = s.key_id
            WHERE s.id_hash = @hash
            """;
        command.With("@hash", SessionHashOf(secret));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSession(reader) : null;
    }

    /// <summary>Ends a session (signing out); false when no session has that id.</summary>
    public async Task<bool> RevokeDashboardSessionAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!IsSessionText(secret))
        {
            return false;
        }

        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        // Signing out twice keeps the first time.
        var found = await session.ExecuteAsync(
            "UPDATE dashboard_sessions SET revoked_at_us = COALESCE(revoked_at_us, @at) WHERE id_hash = @hash",
            c => c.With("@at", session.NowUs).With("@hash", SessionHashOf(secret)),
            cancellationToken).ConfigureAwait(false) > 0;
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>Ends every session a key signed in, in the key's revocation transaction.</summary>
    private static async Task RevokeSessionsOfKeyAsync(WriteSession session, WorkspaceId workspace, string keyId, CancellationToken cancellationToken)
    {
        await using var revoke = session.Command("""
            UPDATE dashboard_sessions SET revoked_at_us = COALESCE(revoked_at_us, @at)
            WHERE workspace_id = @workspace AND key_id = @id
            """).With("@at", session.NowUs).With("@workspace", workspace.Value).With("@id", keyId);
        await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool IsSessionText(string? text) =>
        text is not null && text.Length == SessionTextLength && text.StartsWith(SessionPrefix, StringComparison.Ordinal)
        && Base64Url.IsValid(text.AsSpan(SessionPrefix.Length));

    private static string SessionHashOf(string text) => Convert.ToHexStringLower(HashOf(text));

    private static DashboardSession ReadSession(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        new WorkspaceId(reader.GetString(2)),
        Names.Scope(reader.GetString(3)),
        Micros.ToInstant(reader.GetInt64(4)),
        Micros.ToInstant(reader.GetInt64(5)),
        reader.NullableInt64(6) is { } revoked ? Micros.ToInstant(revoked) : null,
        reader.NullableInt64(7) is { } keyRevoked ? Micros.ToInstant(keyRevoked) : null);
}
