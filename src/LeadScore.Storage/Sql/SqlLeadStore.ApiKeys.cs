using System.Buffers.Text;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Sql;

internal sealed partial class SqlLeadStore
{
    /// <summary>How every key text starts, so that a leaked key is recognisable (secret scanners, logs).</summary>
    public const string KeyPrefix = "lsk_";

    public const int KeyIdLength = 12;

    private const string KeyIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private const int KeySecretBytes = 32;

    // lsk_ + id + _ + base64url of the secret bytes (no padding).
    private static readonly int KeyTextLength = KeyPrefix.Length + KeyIdLength + 1 + Base64Url.GetEncodedLength(KeySecretBytes);

    private const string KeyColumns = "id, workspace_id, name, scope, created_at_us, revoked_at_us";

    public async Task<CreatedApiKey> CreateApiKeyAsync(WorkspaceId workspace, ApiKeyScope scope, string? name = null, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "A key's scope is read, write or admin.");
        }

        await EnsureWorkspaceAsync(workspace, workspace.Value, cancellationToken).ConfigureAwait(false);
        var id = RandomNumberGenerator.GetString(KeyIdAlphabet, KeyIdLength);
        var text = $"{KeyPrefix}{id}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeySecretBytes))}";
        var key = new ApiKey(id, workspace, string.IsNullOrWhiteSpace(name) ? $"{Names.Of(scope)} key" : name.Trim(), scope, default, null);
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        key = key with { CreatedAt = session.Now };
        await using var insert = session.Command("""
            INSERT INTO api_keys (workspace_id, id, name, scope, secret_hash, created_at_us, revoked_at_us)
            VALUES (@workspace, @id, @name, @scope, @hash, @at, NULL)
            """).With("@workspace", workspace.Value).With("@id", id).With("@name", key.Name).With("@scope", Names.Of(scope))
            .With("@hash", Convert.ToHexStringLower(HashOf(text))).With("@at", session.NowUs);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedApiKey(key, text);
    }

    public async Task<ApiKey?> FindApiKeyAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (KeyIdOf(secret) is not { } id)
        {
            return null;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
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
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {KeyColumns} FROM api_keys WHERE workspace_id = @workspace ORDER BY created_at_us, id";
        command.With("@workspace", workspace.Value);
        var keys = new List<ApiKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ReadKey(reader));
        }

        return keys;
    }

    public async Task<bool> RevokeApiKeyAsync(WorkspaceId workspace, string keyId, CancellationToken cancellationToken = default)
    {
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        // Revoking twice keeps the first time.
        await using var revoke = session.Command("UPDATE api_keys SET revoked_at_us = COALESCE(revoked_at_us, @at) WHERE workspace_id = @workspace AND id = @id")
            .With("@at", session.NowUs).With("@workspace", workspace.Value).With("@id", keyId);
        var found = await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (found)
        {
            await RevokeSessionsOfKeyAsync(session, workspace, keyId, cancellationToken).ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    public async Task<bool> AnyApiKeyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM (SELECT 1 FROM api_keys LIMIT 1) AS any_key";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
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
}
