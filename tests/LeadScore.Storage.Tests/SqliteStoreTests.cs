using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Storage.Tests;

/// <summary>The store contract on SQLite, a new database file per test.</summary>
public sealed class SqliteStoreTests : StoreContract
{
    private readonly List<SqliteFile> _files = [];

    protected override ValueTask<string> CreateDatabaseAsync()
    {
        var file = new SqliteFile();
        _files.Add(file);
        return ValueTask.FromResult(file.Path);
    }

    protected override ValueTask DeleteDatabaseAsync()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
