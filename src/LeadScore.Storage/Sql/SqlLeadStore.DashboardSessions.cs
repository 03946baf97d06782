using System.Buffers.Text;
using System.Data.Common;
using System.Security.Cryptography;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Sql;

internal sealed partial class SqlLeadStore
{
    /// <summary>How every session id starts, so that a leaked cookie is recognisable and never mistaken for a key.</summary>
    public const string SessionPrefix = "lss_";

    private const int SessionIdBytes = 32;

    private static readonly int SessionTextLength = SessionPrefix.Length + Base64Url.GetEncodedLength(SessionIdBytes);

    public async Task<CreatedDashboardSession?> CreateDashboardSessionAsync(WorkspaceId workspace, string keyId, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var text = SessionPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SessionIdBytes));
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

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

    public async Task<DashboardSession?> FindDashboardSessionAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!IsSessionText(secret))
        {
            return null;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
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

    public async Task<bool> RevokeDashboardSessionAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!IsSessionText(secret))
        {
            return false;
        }

        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        // Signing out twice keeps the first time.
        await using var revoke = session.Command("UPDATE dashboard_sessions SET revoked_at_us = COALESCE(revoked_at_us, @at) WHERE id_hash = @hash")
            .With("@at", session.NowUs).With("@hash", SessionHashOf(secret));
        var found = await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
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
