using System.Data.Common;
using System.Text.Json;
using LeadScore.Storage.Scoring;
using Microsoft.Data.Sqlite;

namespace LeadScore.Storage.Sql;

/// <summary>
/// The embedded default: one file in WAL mode, so readers never wait for the writer. SQLite allows
/// one writer at a time; writes queue on a semaphore here (and on the file lock across processes)
/// rather than failing with "database is locked".
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    // Each commit is flushed to the WAL before it is acknowledged: data survives a killed process
    // and a power cut. A batch of 1,000 events pays one flush, which is why batching matters.
    // Checkpoints every 64 MB of WAL instead of every 4 MB: a re-scoring batch dirties about a
    // thousand pages, so the default copied them back to the file after every commit; now a page
    // rewritten by several batches is copied once (a fifth less written by the ingest benchmark).
    // Durability is the WAL's and does not change; the WAL is cut back to 64 MB after a checkpoint.
    private const string ConnectionPragmas =
        "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; " +
        "PRAGMA wal_autocheckpoint = 16384; PRAGMA journal_size_limit = 67108864;";

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SqliteDialect(string connection)
    {
        var path = connection;
        if (path.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            path = path["sqlite:".Length..];
        }

        var builder = path.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(path)
            : new SqliteConnectionStringBuilder { DataSource = path };
        builder.Pooling = true;
        FilePath = Path.GetFullPath(builder.DataSource);
        builder.DataSource = FilePath;
        _connectionString = builder.ToString();
    }

    public string FilePath { get; }

    public override string MigrationFolder => "sqlite";

    public override string Description => $"sqlite:{FilePath}";

    public override string? LockContactsSql => null;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = ConnectionPragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task<WriteSession> BeginWriteAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = (SqliteConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
            // BEGIN IMMEDIATE: take the write lock now rather than on the first write.
            var transaction = connection.BeginTransaction(deferred: false);
            return new WriteSession(this, connection, transaction, now, () => _writer.Release(), ownsConnection: true);
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    public override async Task<WriteSession> BeginWriteAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
            return new WriteSession(this, connection, transaction, now, () => _writer.Release(), ownsConnection: false);
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    // SQLite's data_version: unchanged by the connection's own commits, changed by anyone else's,
    // in this process or another. Read after BEGIN IMMEDIATE, it is current up to the write lock.
    public override async Task<long?> CommitsByOthersAsync(WriteSession session, CancellationToken cancellationToken)
    {
        await using var command = session.Command("PRAGMA data_version");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override HotStatement Prepare(DbConnection connection, DbTransaction? transaction, string sql) => SqliteStatement.Prepare(connection, sql);

    public override string ForUpdate => "";

    public override Task<IAsyncDisposable?> TryLockSingletonAsync(long key, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(NoLock.Instance);

    private sealed class NoLock : IAsyncDisposable
    {
        public static NoLock Instance { get; } = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public override string InList(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override string ListTable(string parameter) => $"json_each({parameter})";

    public override void AddList(DbCommand command, string parameter, IReadOnlyCollection<string> values) =>
        command.With(parameter, JsonSerializer.Serialize(values));

    public override async Task<HashSet<string>> InsertNewEventsAsync(WriteSession session, WorkspaceId workspace, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using var insert = session.Prepare("""
            INSERT INTO events (workspace_id, contact_id, occurred_at_us, id, type, properties, received_at_us)
            VALUES (@workspace, @contact, @occurred, @id, @type, @properties, @received)
            ON CONFLICT DO NOTHING
            """);
        insert.Set("@workspace", workspace.Value);
        foreach (var row in events)
        {
            insert.Set("@contact", row.ContactId);
            insert.Set("@occurred", row.OccurredAtUs);
            insert.Set("@id", row.Id);
            insert.Set("@type", row.Type);
            insert.Set("@properties", row.Properties);
            insert.Set("@received", row.ReceivedAtUs);
            if (await insert.ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                inserted.Add(row.Id);
            }
        }

        return inserted;
    }

    public override ValueTask DisposeAsync()
    {
        _writer.Dispose();
        // Pooled connections keep the file open (and its WAL); release this file's, so it can be moved
        // or deleted, and leave other stores in the process alone.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
