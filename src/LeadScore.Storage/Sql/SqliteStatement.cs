using System.Data.Common;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LeadScore.Storage.Sql;

/// <summary>
/// A statement prepared on SQLite's own connection handle, inside whatever transaction the connection
/// has open. It binds text from the string's own characters and reads text in place, where ADO.NET
/// allocates a binder object per parameter per execution, a UTF-8 copy of each text it binds and a
/// string of each text it reads: on a publish's million rows, that garbage was the collector's work.
/// </summary>
internal sealed class SqliteStatement : HotStatement
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);

    private SqliteStatement(sqlite3 database, sqlite3_stmt statement)
    {
        _database = database;
        _statement = statement;
    }

    public static SqliteStatement Prepare(DbConnection connection, string sql)
    {
        var database = ((SqliteConnection)connection).Handle
            ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var code = raw.sqlite3_prepare_v2(database, sql, out var statement);
        if (code != raw.SQLITE_OK)
        {
            statement.Dispose();
            throw new SqliteException($"SQLite could not prepare a statement: {raw.sqlite3_errmsg(database).utf8_to_string()}", code);
        }

        return new SqliteStatement(database, statement);
    }

    public override void Set(string parameter, string? value)
    {
        var index = IndexOf(parameter);
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));
    }

    public override void Set(string parameter, long value) => Check(raw.sqlite3_bind_int64(_statement, IndexOf(parameter), value));

    public override void Set(string parameter, long? value)
    {
        var index = IndexOf(parameter);
        Check(value is { } number ? raw.sqlite3_bind_int64(_statement, index, number) : raw.sqlite3_bind_null(_statement, index));
    }

    public override ValueTask<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            while (Step())
            {
            }

            return ValueTask.FromResult(raw.sqlite3_changes(_database));
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public override void SetList(string parameter, IReadOnlyCollection<string> values) =>
        Set(parameter, JsonSerializer.Serialize(values));

    public override ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Step());
    }

    public override long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public override bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public override string String(int column) => Encoding.UTF8.GetString(raw.sqlite3_column_blob(_statement, column));

    public override byte[] Utf8Bytes(int column) => raw.sqlite3_column_blob(_statement, column).ToArray();

    public override T Shared<T>(int column, Dictionary<string, T> pool, Func<string, T> create)
    {
        var utf8 = raw.sqlite3_column_blob(_statement, column);
        if (utf8.Length > MaxSharedLength)
        {
            return base.Shared(column, pool, create);
        }

        Span<char> characters = stackalloc char[MaxSharedLength];
        var length = Encoding.UTF8.GetChars(utf8, characters);
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(characters[..length], out var value))
        {
            var text = new string(characters[..length]);
            value = pool[text] = create(text);
        }

        return value;
    }

    /// <summary>Longer texts (rare for a repeated value) are read as strings, not on the stack.</summary>
    private const int MaxSharedLength = 1024;

    private bool Step()
    {
        var code = raw.sqlite3_step(_statement);
        return code switch
        {
            raw.SQLITE_ROW => true,
            raw.SQLITE_DONE => false,
            _ => throw new SqliteException($"SQLite failed a statement: {raw.sqlite3_errmsg(_database).utf8_to_string()}", code),
        };
    }

    public override ValueTask DisposeAsync()
    {
        _statement.Dispose();
        return ValueTask.CompletedTask;
    }

    private int IndexOf(string parameter)
    {
        if (!_parameters.TryGetValue(parameter, out var index))
        {
            index = raw.sqlite3_bind_parameter_index(_statement, parameter);
            if (index == 0)
            {
                throw new ArgumentException($"The statement has no parameter {parameter}.", nameof(parameter));
            }

            _parameters[parameter] = index;
        }

        return index;
    }

    private void Check(int code)
    {
        if (code != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite could not bind a parameter: {raw.sqlite3_errmsg(_database).utf8_to_string()}", code);
        }
    }
}
