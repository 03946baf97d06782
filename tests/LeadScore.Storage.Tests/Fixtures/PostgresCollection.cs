namespace LeadScore.Storage.Tests.Fixtures;

/// <summary>
/// The tests that share one <see cref="PostgresServer"/>. A collection rather than an assembly
/// fixture, so that a machine without PostgreSQL fails these tests and still runs the SQLite ones.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
