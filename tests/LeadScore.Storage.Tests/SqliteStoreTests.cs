using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Storage.Tests;

/// <summary>The store contract on SQLite, a new database file per test.</summary>
public sealed class SqliteStoreTests : StoreContract
{
    private readonly SqliteFile _file = new();

    protected override ValueTask<string> CreateDatabaseAsync() => ValueTask.FromResult(_file.Path);

    protected override ValueTask DeleteDatabaseAsync()
    {
        _file.Dispose();
        return ValueTask.CompletedTask;
    }
}
