using System.Data.Common;

namespace LeadScore.Storage.Sql;

/// <summary>
/// A statement a hot path (a re-score's reads and writes, event inserts) runs once per row or reads
/// many rows from: parameters are set by name, and the statement run or read again. Each dialect
/// prepares its own (<see cref="SqlDialect.Prepare"/>): ADO.NET's command for PostgreSQL, SQLite's own
/// statement handle for SQLite, where ADO.NET's per-execution binders and text copies were a third of
/// a publish's garbage.
/// </summary>
internal abstract class HotStatement : IAsyncDisposable
{
    public abstract void Set(string parameter, string? value);

    public abstract void Set(string parameter, long value);

    public abstract void Set(string parameter, long? value);

    /// <summary>Sets a list of ids or names, in the dialect's list form (<see cref="SqlDialect.AddList"/>).</summary>
    public abstract void SetList(string parameter, IReadOnlyCollection<string> values);

    /// <summary>Runs the statement with the parameters set; returns the rows it changed.</summary>
    public abstract ValueTask<int> ExecuteAsync(CancellationToken cancellationToken);

    /// <summary>Runs a query the first time, then steps through its rows; false after the last (a query is read once).</summary>
    public abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    public abstract long Int64(int column);

    public abstract bool IsNull(int column);

    public abstract string String(int column);

    /// <summary>A text column as UTF-8 bytes (how both databases store it), for a parser that reads UTF-8.</summary>
    public abstract byte[] Utf8Bytes(int column);

    /// <summary>
    /// The value kept in <paramref name="pool"/> for a text column that repeats from row to row (an
    /// event's type or properties), made by <paramref name="create"/> the first time the text is seen.
    /// Where the dialect can, a text already in the pool is found without making a string of it.
    /// </summary>
    public virtual T Shared<T>(int column, Dictionary<string, T> pool, Func<string, T> create)
    {
        var text = String(column);
        if (!pool.TryGetValue(text, out var value))
        {
            value = pool[text] = create(text);
        }

        return value;
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>The portable form: an ADO.NET command, its parameters added on first use.</summary>
    internal sealed class Ado(DbCommand command, SqlDialect dialect) : HotStatement
    {
        private DbDataReader? _reader;

        public override void Set(string parameter, string? value) => Bind(parameter, value);

        public override void Set(string parameter, long value) => Bind(parameter, value);

        public override void Set(string parameter, long? value) => Bind(parameter, value);

        public override void SetList(string parameter, IReadOnlyCollection<string> values)
        {
            if (command.Parameters.Contains(parameter))
            {
                command.Parameters.RemoveAt(parameter);
            }

            dialect.AddList(command, parameter, values);
        }

        public override async ValueTask<int> ExecuteAsync(CancellationToken cancellationToken) =>
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
        {
            _reader ??= await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        public override long Int64(int column) => Reader.GetInt64(column);

        public override bool IsNull(int column) => Reader.IsDBNull(column);

        public override string String(int column) => Reader.GetString(column);

        public override byte[] Utf8Bytes(int column) => System.Text.Encoding.UTF8.GetBytes(Reader.GetString(column));

        public override async ValueTask DisposeAsync()
        {
            if (_reader is not null)
            {
                await _reader.DisposeAsync().ConfigureAwait(false);
            }

            await command.DisposeAsync().ConfigureAwait(false);
        }

        private DbDataReader Reader => _reader ?? throw new InvalidOperationException("Read a row before its columns.");

        private void Bind(string parameter, object? value)
        {
            if (command.Parameters.Contains(parameter))
            {
                command.Set(parameter, value);
            }
            else
            {
                command.With(parameter, value);
            }
        }
    }
}
