using System.Data.Common;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Scoring;

/// <summary>
/// One write transaction: its connection, the instant every row it writes is stamped with, and a
/// way back to the dialect. Disposing without <see cref="CommitAsync"/> rolls everything back, so a
/// failed batch leaves nothing half-written.
/// </summary>
internal sealed class WriteSession : IAsyncDisposable
{
    private readonly Action? _release;
    private readonly bool _ownsConnection;

    public WriteSession(SqlDialect dialect, DbConnection connection, DbTransaction transaction, DateTimeOffset now, Action? release, bool ownsConnection)
    {
        _ownsConnection = ownsConnection;
        Dialect = dialect;
        Connection = connection;
        Transaction = transaction;
        // Kept to the microsecond the database stores, so a score re-computed at its stored time is identical.
        NowUs = Micros.From(now);
        Now = Micros.ToInstant(NowUs);
        _release = release;
    }

    public SqlDialect Dialect { get; }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public DateTimeOffset Now { get; }

    public long NowUs { get; }

    /// <summary>A statement run once per row of a hot path, in this transaction.</summary>
    public HotStatement Prepare(string sql) => Dialect.Prepare(Connection, Transaction, sql);

    public DbCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// Locks contacts' rows for the rest of the transaction, in id order so two writers never
    /// deadlock (nothing on SQLite, where the transaction holds the whole file).
    /// </summary>
    public async Task LockContactsAsync(WorkspaceId workspace, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        if (Dialect.LockContactsSql is not { } lockSql)
        {
            return;
        }

        var list = ids.Order(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return;
        }

        await using var command = Command(lockSql).With("@workspace", workspace.Value);
        Dialect.AddList(command, "@ids", list);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
        }
    }

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
            if (_ownsConnection)
            {
                await Connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _release?.Invoke();
        }
    }
}
