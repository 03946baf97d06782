using System.Data.Common;
using LeadScore.Storage.Scoring;

namespace LeadScore.Storage.Sql;

/// <summary>
/// What differs between SQLite and PostgreSQL. The store's SQL is written once, in the subset both
/// understand (<c>@name</c> parameters, <c>ON CONFLICT</c>, <c>RETURNING</c>, instants as integer
/// microseconds since 1970); a dialect supplies connections, write locking, id lists and the bulk
/// event insert, which is where the two engines are fastest in different ways.
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>The folder of the embedded migrations for this engine.</summary>
    public abstract string MigrationFolder { get; }

    public abstract string Description { get; }

    public static SqlDialect For(string connection)
    {
        if (connection.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || connection.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || connection.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            return new PostgresDialect(connection);
        }

        return new SqliteDialect(connection);
    }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Starts a transaction that will write. SQLite has one writer per file, so the lock is taken up
    /// front (no upgrade deadlocks); PostgreSQL locks rows as it goes.
    /// </summary>
    public abstract Task<WriteSession> BeginWriteAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The same on a connection the caller keeps open across transactions (a publish job's): the
    /// session ends the transaction but leaves the connection open.
    /// </summary>
    public abstract Task<WriteSession> BeginWriteAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// A number, read in the session's transaction, that differs from the one its connection read
    /// before if and only if another connection committed in between; null where the engine keeps
    /// no such number. A publish job reads its next chunk on a second connection while it writes
    /// the current one, and uses this to know that nobody changed the database meanwhile.
    /// </summary>
    public virtual Task<long?> CommitsByOthersAsync(WriteSession session, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    /// <summary>SQL for "column is one of the ids in parameter <paramref name="parameter"/>".</summary>
    public abstract string InList(string column, string parameter);

    public abstract void AddList(DbCommand command, string parameter, IReadOnlyCollection<string> values);

    /// <summary>
    /// A table of the list in <paramref name="parameter"/> (bound with <see cref="AddList"/>), one row per
    /// item with its text in <c>value</c> and its position, from 0, in <c>key</c>.
    /// </summary>
    public abstract string ListTable(string parameter);

    /// <summary>SQL that locks the named contacts for the rest of the transaction (nothing on SQLite, where the whole file is locked).</summary>
    public abstract string? LockContactsSql { get; }

    /// <summary>
    /// What follows a SELECT that reads a row this transaction will update, so that a concurrent
    /// transaction waits for it (<c> FOR UPDATE</c>); empty on SQLite, where a write transaction
    /// already holds the whole file.
    /// </summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// What follows a SELECT of rows to claim (outbox deliveries): rows another transaction is
    /// claiming are skipped rather than waited for (<c> FOR UPDATE SKIP LOCKED</c>); empty on SQLite.
    /// </summary>
    public virtual string ForUpdateSkipLocked => ForUpdate.Length == 0 ? "" : ForUpdate + " SKIP LOCKED";

    /// <summary>
    /// Takes a lock that one process of all those on the database may hold (the sweeper's), or null
    /// at once when another holds it. SQLite's single writer needs none, so every caller gets one.
    /// Disposing the returned lock releases it.
    /// </summary>
    public abstract Task<IAsyncDisposable?> TryLockSingletonAsync(long key, CancellationToken cancellationToken);

    /// <summary>Inserts events that are not stored yet and returns the ids of those it inserted.</summary>
    public abstract Task<HashSet<string>> InsertNewEventsAsync(WriteSession session, WorkspaceId workspace, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);

    /// <summary>A statement for a hot path, run once per row on the connection (in its open transaction, if any).</summary>
    public virtual HotStatement Prepare(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return new HotStatement.Ado(command, this);
    }

    public abstract ValueTask DisposeAsync();
}
