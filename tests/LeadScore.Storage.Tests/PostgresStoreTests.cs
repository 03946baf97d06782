using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Storage.Tests;

/// <summary>The store contract on the tests' own PostgreSQL 15, a new database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class PostgresStoreTests(PostgresServer server) : StoreContract
{
    protected override async ValueTask<string> CreateDatabaseAsync() => await server.CreateDatabaseAsync(Ct);
}
