using System.Data.Common;
using LeadScore.Storage.Scoring;
using Npgsql;
using NpgsqlTypes;

namespace LeadScore.Storage.Sql;

/// <summary>
/// The production store. Many processes may write at once: rows are locked per contact for the
/// length of a transaction, and event batches travel by binary COPY into a session-local table
/// before one set-based insert that skips the ids already stored.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connection)
    {
        var builder = new NpgsqlConnectionStringBuilder(ToConnectionString(connection));
        Description = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public override string MigrationFolder => "postgres";

    public override string Description { get; }

    public override string LockContactsSql => "SELECT id FROM contacts WHERE workspace_id = @workspace AND id = ANY(@ids) ORDER BY id FOR UPDATE";

    public override string ForUpdate => " FOR UPDATE";

    public override async Task<IAsyncDisposable?> TryLockSingletonAsync(long key, CancellationToken cancellationToken)
    {
        // A session-level advisory lock lives as long as its connection: this one is kept open for
        // the holder alone, and closing it (even by a crash) releases the lock.
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new AdvisoryLock(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Unlock before the connection goes back to the pool, where the lock would otherwise stay.
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                command.Parameters.AddWithValue("key", key);
                await command.ExecuteScalarAsync().ConfigureAwait(false);
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async Task<WriteSession> BeginWriteAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new WriteSession(this, connection, transaction, now, release: null, ownsConnection: true);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task<WriteSession> BeginWriteAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken) =>
        new(this, connection, await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false), now, release: null, ownsConnection: false);

    public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public override string ListTable(string parameter) =>
        $"(SELECT item.value, item.position - 1 AS key FROM unnest({parameter}) WITH ORDINALITY AS item(value, position))";

    public override void AddList(DbCommand command, string parameter, IReadOnlyCollection<string> values) =>
        command.Parameters.Add(new NpgsqlParameter(parameter.TrimStart('@'), NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() });

    public override async Task<HashSet<string>> InsertNewEventsAsync(WriteSession session, WorkspaceId workspace, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)session.Connection;
        await using (var create = session.Command("""
            CREATE TEMP TABLE IF NOT EXISTS incoming_events (
                contact_id text NOT NULL, occurred_at_us bigint NOT NULL, id text NOT NULL,
                type text NOT NULL, properties text, received_at_us bigint NOT NULL) ON COMMIT DELETE ROWS
            """))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY incoming_events (contact_id, occurred_at_us, id, type, properties, received_at_us) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in events)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(row.ContactId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(row.OccurredAtUs, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(row.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(row.Type, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                if (row.Properties is null)
                {
                    await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await copy.WriteAsync(row.Properties, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                }

                await copy.WriteAsync(row.ReceivedAtUs, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using var insert = session.Command("""
            INSERT INTO events (workspace_id, contact_id, occurred_at_us, id, type, properties, received_at_us)
            SELECT @workspace, contact_id, occurred_at_us, id, type, properties, received_at_us FROM incoming_events
            ORDER BY id -- batches sharing event ids take their index entries in one order: they wait, never deadlock
            ON CONFLICT DO NOTHING
            RETURNING id
            """).With("@workspace", workspace.Value);
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            inserted.Add(reader.GetString(0));
        }

        return inserted;
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    // postgres://user:password@host:port/database is what most hosting providers hand out.
    private static string ToConnectionString(string connection)
    {
        if (!connection.Contains("://", StringComparison.Ordinal))
        {
            return connection;
        }

        var uri = new Uri(connection);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = uri.AbsolutePath.Trim('/'),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return builder.ConnectionString;
    }
}
