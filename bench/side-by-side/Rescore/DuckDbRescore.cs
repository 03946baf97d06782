using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

namespace LeadScore.SideBySide.Rescore;

/// <summary>
/// Part 1, DuckDB's side: loads the same JSON Lines into an in-memory DuckDB (only the columns the
/// rules read), then runs the model as one SQL query (side-by-side-30.sql), on every core.
/// </summary>
internal static class DuckDbRescore
{
    public static int Run(string data, string sqlPath, DateTimeOffset asOf, int passes, string pointsOut, string resultOut)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var contactsFile = Path.Combine(data, "contacts.jsonl").Replace("'", "''");
        var eventsFile = Path.Combine(data, "events.jsonl").Replace("'", "''");
        var asOfSeconds = asOf.ToUnixTimeSeconds();

        var load = Stopwatch.StartNew();
        Execute(connection, $"""
            CREATE TABLE contacts AS SELECT * FROM read_json('{contactsFile}', format = 'newline_delimited', columns = {"{"}
                id: 'VARCHAR', email: 'VARCHAR', jobTitle: 'VARCHAR', seniority: 'VARCHAR', department: 'VARCHAR',
                industry: 'VARCHAR', employees: 'DOUBLE', annualRevenue: 'DOUBLE', country: 'VARCHAR', budget: 'DOUBLE',
                purchaseTimeframeDays: 'DOUBLE', leadSource: 'VARCHAR'{"}"})
            """);
        // The generator writes every instant as yyyy-MM-ddTHH:mm:ssZ (UTC), so a plain timestamp is exact.
        Execute(connection, $"""
            CREATE TABLE events AS
            SELECT contact, type, properties.url AS url, properties.form AS form,
                   {asOfSeconds} - epoch(strptime(occurredAt, '%Y-%m-%dT%H:%M:%SZ'))::BIGINT AS age
            FROM read_json('{eventsFile}', format = 'newline_delimited', columns = {"{"}
                contact: 'VARCHAR', type: 'VARCHAR', occurredAt: 'VARCHAR', properties: 'STRUCT(url VARCHAR, form VARCHAR)'{"}"})
            """);
        load.Stop();
        var contacts = Scalar(connection, "SELECT count(*) FROM contacts");
        var events = Scalar(connection, "SELECT count(*) FROM events");

        var sql = File.ReadAllText(sqlPath);
        var seconds = new List<double>();
        List<(string Id, int Points, double Total)> rows = [];
        for (var pass = 0; pass < passes; pass++)
        {
            var watch = Stopwatch.StartNew();
            rows = Query(connection, sql);
            seconds.Add(watch.Elapsed.TotalSeconds);
        }

        using (var writer = new StreamWriter(pointsOut))
        {
            foreach (var (id, points, total) in rows)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id},{points},{total:R}"));
            }
        }

        Results.Write(resultOut, new()
        {
            ["contacts"] = contacts,
            ["events"] = events,
            ["loadSeconds"] = load.Elapsed.TotalSeconds,
            ["querySeconds"] = seconds,
            ["threads"] = Scalar(connection, "SELECT current_setting('threads')"),
            ["version"] = Scalar(connection, "SELECT version()")?.ToString(),
        });
        return 0;
    }

    // Reading every row into .NET is part of the measured query: a re-score has to hand its scores on.
    private static List<(string, int, double)> Query(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(string, int, double)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetDouble(2)));
        }

        return rows;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
