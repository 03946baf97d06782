using System.Data.Common;
using System.Globalization;
using LeadScore.Storage.Scoring;

namespace LeadScore.Storage.Sql;

/// <summary>
/// The reads every feature repeats, written once: open (or join) a connection, run one statement
/// with its parameters, read its rows. A facet says only its SQL, its parameters and how a row reads:
/// <c>dialect.ReadAllAsync(sql, c => c.With("@workspace", id), ReadKey, ct)</c>.
/// Statements run in a loop or prepared once stay explicit (<see cref="HotStatement"/>, <see cref="WriteSession.Command"/>).
/// </summary>
internal static class SqlQueries
{
    /// <summary>Every row of one query, read on a connection of its own.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(
        this SqlDialect dialect, string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Prepared(connection, null, sql, bind);
        return await ReadAllAsync(command, read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first row of one query read on a connection of its own, or null when it has none.</summary>
    public static async Task<T?> ReadFirstAsync<T>(
        this SqlDialect dialect, string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Prepared(connection, null, sql, bind);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
    }

    /// <summary>The one number a query answers (a COUNT), read on a connection of its own.</summary>
    public static async Task<long> ReadNumberAsync(this SqlDialect dialect, string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Prepared(connection, null, sql, bind);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Every row of one query, read inside the session's transaction (so it sees what the session wrote).</summary>
    public static async Task<List<T>> ReadAllAsync<T>(
        this WriteSession session, string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = Prepared(session.Connection, session.Transaction, sql, bind);
        return await ReadAllAsync(command, read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first row of one query inside the session's transaction, or null when it has none.</summary>
    public static async Task<T?> ReadFirstAsync<T>(
        this WriteSession session, string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = Prepared(session.Connection, session.Transaction, sql, bind);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
    }

    /// <summary>The one number a query answers (a COUNT), inside the session's transaction.</summary>
    public static async Task<long> ReadNumberAsync(this WriteSession session, string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = Prepared(session.Connection, session.Transaction, sql, bind);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs one statement inside the session's transaction; how many rows it changed.</summary>
    public static async Task<int> ExecuteAsync(this WriteSession session, string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = Prepared(session.Connection, session.Transaction, sql, bind);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Prepared(DbConnection connection, DbTransaction? transaction, string sql, Action<DbCommand> bind)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        bind(command);
        return command;
    }

    private static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
