using Npgsql;

namespace LeadScore.Storage.Tests.Fixtures;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task CreateDatabase_Twice_GivesTwoDatabasesOfPostgres15()
    {
        var ct = TestContext.Current.CancellationToken;

        var first = await server.CreateDatabaseAsync(ct);
        var second = await server.CreateDatabaseAsync(ct);

        first.ShouldNotBe(second);
        foreach (var connectionString in new[] { first, second })
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select version()", connection);
            var version = (string?)await command.ExecuteScalarAsync(ct);
            version.ShouldNotBeNull().ShouldStartWith("PostgreSQL 15");
        }
    }
}
