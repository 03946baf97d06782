using System.Data.Common;
using System.Reflection;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Schema;

/// <summary>
/// Applies the versioned SQL scripts of a dialect (<c>Migrations/{dialect}/NNNN_name.sql</c>) that the
/// database has not recorded yet, each in its own transaction with its record, so starting twice, or
/// two processes starting at once, applies each script exactly once.
/// </summary>
internal static class Migrator
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts(string folder)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = folder + "/";
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Name: n[prefix.Length..^4], Resource: n))
            .Select(s => (Version: int.Parse(s.Name[..s.Name.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture), s.Name, Sql: Read(assembly, s.Resource)))
            .OrderBy(s => s.Version)];
    }

    /// <summary>Applies the scripts not applied yet, up to <paramref name="lastVersion"/> (all by default; tests stop earlier to build an old database).</summary>
    public static async Task<int> MigrateAsync(SqlDialect dialect, DateTimeOffset now, CancellationToken cancellationToken, int lastVersion = int.MaxValue)
    {
        if (dialect is SqliteDialect)
        {
            // WAL is a property of the file: set once, it stays. (Not allowed inside a transaction.)
            await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
        }

        await using (var session = await dialect.BeginWriteAsync(now, cancellationToken).ConfigureAwait(false))
        {
            // Under the migration lock too: two servers starting together on a new PostgreSQL database
            // would otherwise both create the table, and one would fail on the catalog's unique key.
            await LockAsync(dialect, session, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(session.Connection, session.Transaction, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at_us BIGINT NOT NULL)
                """, cancellationToken).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = 0;
        foreach (var (version, name, sql) in Scripts(dialect.MigrationFolder).Where(s => s.Version <= lastVersion))
        {
            await using var session = await dialect.BeginWriteAsync(now, cancellationToken).ConfigureAwait(false);
            await LockAsync(dialect, session, cancellationToken).ConfigureAwait(false);

            if (await session.ReadNumberAsync(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version",
                c => c.With("@version", version),
                cancellationToken).ConfigureAwait(false) > 0)
            {
                continue;
            }

            await ExecuteAsync(session.Connection, session.Transaction, sql, cancellationToken).ConfigureAwait(false);
            await session.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (@version, @name, @at)",
                c => c.With("@version", version).With("@name", name).With("@at", session.NowUs),
                cancellationToken).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied++;
        }

        return applied;
    }

    /// <summary>Two servers starting together on PostgreSQL: the second waits here, then sees what the first did. SQLite has one writer anyway.</summary>
    private static async Task LockAsync(SqlDialect dialect, WriteSession session, CancellationToken cancellationToken)
    {
        if (dialect is PostgresDialect)
        {
            await ExecuteAsync(session.Connection, session.Transaction, "SELECT pg_advisory_xact_lock(7438001)", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
