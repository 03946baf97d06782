using LeadScore.Storage.Sql;

namespace LeadScore.Storage;

/// <summary>Opens the store a connection text names, applying its schema migrations first.</summary>
public static class LeadStore
{
    /// <summary>The SQLite file used when nothing else is configured.</summary>
    public const string DefaultSqlitePath = "leadscore.db";

    /// <summary>
    /// Opens a store. A PostgreSQL connection string (<c>Host=...;Database=...</c>) or URL
    /// (<c>postgres://user:pass@host/db</c>) selects PostgreSQL; anything else is a SQLite file path,
    /// optionally written <c>sqlite:PATH</c> or <c>Data Source=PATH</c>.
    /// </summary>
    public static async Task<ILeadStore> OpenAsync(string? connection, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var dialect = SqlDialect.For(string.IsNullOrWhiteSpace(connection) ? DefaultSqlitePath : connection.Trim());
        var store = new SqlLeadStore(dialect, time ?? TimeProvider.System);
        try
        {
            await store.StartAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
