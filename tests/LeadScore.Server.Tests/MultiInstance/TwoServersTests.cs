using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Server.Tests.MultiInstance;

/// <summary>
/// Two real <c>leadscore serve</c> processes on one PostgreSQL database, as behind a load balancer:
/// concurrent events for the same contacts end as on one server with unbroken histories, a publish
/// job runs once, an automation fires once per crossing, and both answer reads alike.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class TwoServersTests(PostgresServer postgres)
{
    private const int Contacts = 40;
    private const int Events = 600;
    private const int EventsPerBatch = 25;

    /// <summary>No decay and no time windows: a score depends on the events alone, not on when it was computed.</summary>
    private const string ModelV1 = """
        {
          "key": "cluster", "name": "Multi-instance test model", "target": "contact", "scale": 100, "encoding": "points",
          "categories": [
            {"key": "fit", "dimension": "fit", "budget": 500},
            {"key": "engagement", "dimension": "engagement", "budget": 500}],
          "rules": [
            {"key": "senior", "category": "fit", "points": 10, "when": {"field": "jobTitle", "eq": "VP"}},
            {"key": "opens", "category": "engagement", "points": 1, "per": "occurrence", "event": {"type": "email_open"}},
            {"key": "pricing", "category": "engagement", "points": 3, "per": "occurrence", "event": {"type": "page_view", "where": {"field": "url", "contains": "/pricing"}}},
            {"key": "demo", "category": "engagement", "points": 15, "event": {"type": "demo_requested"}}],
          "thresholds": [{"key": "mql", "points": 30}],
          "grades": [{"grade": "A", "min": 40}, {"grade": "B", "min": 20}, {"grade": "C", "min": 0}]
        }
        """;

    /// <summary>Opens count double: every contact has at least one and no rule takes points away, so every score changes on publish.</summary>
    private static readonly string ModelV2 = ModelV1.Replace(
        """{"key": "opens", "category": "engagement", "points": 1,""", """{"key": "opens", "category": "engagement", "points": 2,""", StringComparison.Ordinal);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_SentToBothAtOnce_EndAsOnOneServerWithUnbrokenHistoriesAndReadTheSameFromEither()
    {
        await using var cluster = await Cluster.StartAsync(postgres, Ct);
        await using var single = await RunningServer.StartPostgresAsync(postgres, cancellationToken: Ct);
        await PublishAsync(cluster.A, ModelV1);
        await PublishAsync(single.Client, ModelV1);
        using (var created = await cluster.A.PostAsync("/api/v1/automations", new StringContent("""
            {"name": "MQL", "model": "cluster", "trigger": {"type": "score-above", "threshold": "mql"}, "actions": [{"type": "add-tag", "tag": "mql"}]}
            """, Encoding.UTF8, "application/json"), Ct))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        }

        var batches = EventBatches(seed: 11);

        await Task.WhenAll(ContactIds(withFields: true).Select((id, n) => PutContactAsync(n % 2 == 0 ? cluster.A : cluster.B, id)));
        await Task.WhenAll(batches.Select((batch, n) => SendAsync(n % 2 == 0 ? cluster.A : cluster.B, batch)));
        foreach (var id in ContactIds(withFields: true))
        {
            await PutContactAsync(single.Client, id);
        }

        foreach (var batch in batches)
        {
            await SendAsync(single.Client, batch);
        }

        foreach (var id in ContactIds(withFields: false))
        {
            var expected = await CurrentScoreAsync(single.Client, id);
            var actual = await CurrentScoreAsync(cluster.B, id);
            actual.ShouldBe(expected, $"contact {id}{cluster.Logs}");
            ShouldBeAnUnbrokenChain(await HistoryAsync(cluster.A, id), actual.Score, actual.Points, $"contact {id}{cluster.Logs}");

            // Points only grow in this model: a contact over the threshold crossed it exactly once, on whichever server.
            var runs = await cluster.B.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{id}/automation-runs", Ct);
            runs.GetProperty("items").GetArrayLength().ShouldBe(actual.Points >= 30 ? 1 : 0, $"automation runs of contact {id}{cluster.Logs}");
        }

        // Reads on the same cluster (a second pair of processes would double the test's time).
        var fromA = await ReadAllAsync(cluster.A, () => cluster.Logs);
        var fromB = await ReadAllAsync(cluster.B, () => cluster.Logs);
        fromA.Count.ShouldBe(2 + Contacts * 2);
        fromB.ShouldBe(fromA, $"reads from A and from B{cluster.Logs}");
    }

    [Fact]
    public async Task Publish_ThroughOneInstance_RunsItsJobOnceInOneProcess()
    {
        await using var cluster = await Cluster.StartAsync(postgres, Ct);
        await PublishAsync(cluster.A, ModelV1);
        await Task.WhenAll(ContactIds(withFields: true).Select((id, n) => PutContactAsync(n % 2 == 0 ? cluster.A : cluster.B, id)));
        await Task.WhenAll(EventBatches(seed: 12).Select((batch, n) => SendAsync(n % 2 == 0 ? cluster.A : cluster.B, batch)));

        var jobId = await PublishAsync(cluster.A, ModelV2);
        var job = await WaitForJobAsync(cluster.B, jobId, cluster.Logs);
        var finishedLine = $"Job {jobId} (rescore cluster v2)";
        await WaitUntilAsync(() => cluster.Processes.Sum(p => p.LinesContaining(finishedLine)) > 0, $"no process logged finishing job {jobId}{cluster.Logs}");

        job.GetProperty("done").GetInt64().ShouldBe(Contacts, cluster.Logs);
        job.GetProperty("total").GetInt64().ShouldBe(Contacts, cluster.Logs);
        foreach (var id in ContactIds(withFields: false))
        {
            var history = await HistoryAsync(id.EndsWith('0') ? cluster.A : cluster.B, id);
            var publishes = history.Where(e => e.GetProperty("cause").GetString() == "publish" && e.GetProperty("version").GetInt32() == 2).ToList();
            publishes.Count.ShouldBe(1, $"publish entries of contact {id}: {string.Join(", ", history.Select(e => e.GetRawText()))}{cluster.Logs}");
            publishes[0].GetProperty("causeId").GetString().ShouldBe("cluster@v2");
        }

        cluster.Processes.Sum(p => p.LinesContaining(finishedLine)).ShouldBe(1, $"processes that logged finishing job {jobId}{cluster.Logs}");
    }

    /// <summary>The leads page, the model list and each contact's scores and history, as text; a failed read shows the servers' output.</summary>
    private static async Task<List<string>> ReadAllAsync(HttpClient client, Func<string> logs)
    {
        var paths = new List<string> { "/api/v1/leads?model=cluster&limit=1000", "/api/v1/models" };
        foreach (var id in ContactIds(withFields: false))
        {
            paths.Add($"/api/v1/contacts/{id}/scores");
            paths.Add($"/api/v1/contacts/{id}/history?model=cluster");
        }

        var reads = new List<string>(paths.Count);
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            response.IsSuccessStatusCode.ShouldBeTrue($"GET {path}: {(int)response.StatusCode} {body}{logs()}");
            reads.Add(body);
        }

        return reads;
    }

    private static void ShouldBeAnUnbrokenChain(IReadOnlyList<JsonElement> history, int score, int points, string because)
    {
        history.ShouldNotBeEmpty(because);
        because = $"history {string.Join(", ", history.Select(e => e.GetRawText()))}; {because}";
        history[0].TryGetProperty("oldScore", out _).ShouldBeFalse($"the first entry starts from no score; {because}");
        for (var i = 1; i < history.Count; i++)
        {
            history[i].GetProperty("oldScore").GetInt32().ShouldBe(history[i - 1].GetProperty("newScore").GetInt32(), $"entry {i} of {history.Count}; {because}");
            history[i].GetProperty("oldPoints").GetInt32().ShouldBe(history[i - 1].GetProperty("newPoints").GetInt32(), $"entry {i} of {history.Count}; {because}");
        }

        history[^1].GetProperty("newScore").GetInt32().ShouldBe(score, because);
        history[^1].GetProperty("newPoints").GetInt32().ShouldBe(points, because);
    }

    private static IEnumerable<string> ContactIds(bool withFields) =>
        Enumerable.Range(0, withFields ? Contacts * 3 / 4 : Contacts).Select(n => $"c{n:00}");

    /// <summary>
    /// Batches of events for the contacts in a seeded random order, so that any two batches share
    /// contacts. Every contact opens an email at least once; a quarter of them have no record before
    /// their first event (the event creates it).
    /// </summary>
    private static List<string> EventBatches(int seed)
    {
        var random = new Random(seed);
        var types = new[] { "email_open", "page_view", "page_view", "demo_requested", "unsubscribe", "webinar_attended" };
        var start = DateTimeOffset.UtcNow.AddDays(-5);
        var events = new List<string>(Events);
        for (var n = 0; n < Events; n++)
        {
            var contact = n < Contacts ? n : random.Next(Contacts);
            var type = n < Contacts ? "email_open" : types[random.Next(types.Length)];
            var properties = type == "page_view" ? $$""", "properties": {"url": "{{(random.Next(2) == 0 ? "/pricing" : "/blog")}}"}""" : "";
            var occurredAt = start.AddMinutes(random.Next(5 * 24 * 60 - 60)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            events.Add($$"""{"id": "s{{seed}}-e{{n}}", "contact": "c{{contact:00}}", "type": "{{type}}", "occurredAt": "{{occurredAt}}"{{properties}}}""");
        }

        return [.. events.OrderBy(_ => random.Next()).Chunk(EventsPerBatch).Select(batch => "[" + string.Join(",\n", batch) + "]")];
    }

    private static async Task PutContactAsync(HttpClient client, string id)
    {
        var body = $$"""{"email": "{{id}}@acme.example", "jobTitle": "{{(id.EndsWith('1') ? "VP" : "Engineer")}}"}""";
        using var response = await client.PutAsync($"/api/v1/contacts/{id}", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        await ShouldSucceedAsync(response, $"PUT contact {id}");
    }

    private static async Task SendAsync(HttpClient client, string batch)
    {
        using var response = await client.PostAsync("/api/v1/events/batch", new StringContent(batch, Encoding.UTF8, "application/json"), Ct);
        await ShouldSucceedAsync(response, "POST events/batch");
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        result.RootElement.GetProperty("accepted").GetInt32().ShouldBe(EventsPerBatch, result.RootElement.GetRawText());
    }

    /// <summary>Saves and publishes the model; returns the id of the publish job.</summary>
    private static async Task<long> PublishAsync(HttpClient client, string model)
    {
        using (var saved = await client.PostAsync("/api/v1/models", new StringContent(model, Encoding.UTF8, "application/json"), Ct))
        {
            await ShouldSucceedAsync(saved, "POST model");
        }

        using var published = await client.PostAsync("/api/v1/models/cluster/publish", null, Ct);
        await ShouldSucceedAsync(published, "publish model");
        published.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return (await published.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
    }

    private static async Task<(int Score, int Points, string? Grade, string Thresholds, int Version)> CurrentScoreAsync(HttpClient client, string id)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{id}/scores", Ct);
        var score = body.GetProperty("scores").EnumerateArray().Single();
        return (
            score.GetProperty("score").GetInt32(),
            score.GetProperty("points").GetInt32(),
            score.TryGetProperty("grade", out var grade) ? grade.GetString() : null,
            score.GetProperty("thresholds").GetRawText(),
            score.GetProperty("version").GetInt32());
    }

    private static async Task<IReadOnlyList<JsonElement>> HistoryAsync(HttpClient client, string id)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{id}/history?model=cluster", Ct);
        return [.. body.GetProperty("entries").EnumerateArray()];
    }

    private static async Task<JsonElement> WaitForJobAsync(HttpClient client, long jobId, string logs, TimeSpan? within = null)
    {
        JsonElement job = default;
        await WaitUntilAsync(
            async () =>
            {
                job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}", Ct);
                return job.GetProperty("state").GetString() is "completed" or "cancelled";
            },
            () => $"job {jobId} did not end: {job}{logs}",
            within);
        job.GetProperty("state").GetString().ShouldBe("completed", logs);
        return job;
    }

    private static Task WaitUntilAsync(Func<bool> condition, string failure) =>
        WaitUntilAsync(() => Task.FromResult(condition()), () => failure);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> failure, TimeSpan? within = null)
    {
        var attempts = (within ?? TimeSpan.FromSeconds(30)) / TimeSpan.FromMilliseconds(100);
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        throw new ShouldAssertException(failure());
    }

    private static async Task ShouldSucceedAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new ShouldAssertException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    /// <summary>Instance A (started first, on an empty database) and B (started after it, on the same database).</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private Cluster(ServeProcess first, ServeProcess second, string key, string database)
        {
            Database = database;
            Processes = [first, second];
            A = first.ClientWith(key);
            B = second.ClientWith(key);
        }

        public IReadOnlyList<ServeProcess> Processes { get; }

        /// <summary>The connection string of their database, for tests that look under the API.</summary>
        public string Database { get; }

        public HttpClient A { get; }

        public HttpClient B { get; }

        /// <summary>Both processes' output, for an assertion message.</summary>
        public string Logs => "\n--- output of the two servers ---\n" + string.Concat(Processes.Select(p => p.Output));

        public static async Task<Cluster> StartAsync(PostgresServer postgres, CancellationToken cancellationToken)
        {
            var database = await postgres.CreateDatabaseAsync(cancellationToken);
            ServeProcess? first = null;
            ServeProcess? second = null;
            try
            {
                first = await ServeProcess.StartAsync("A", database, cancellationToken);
                second = await ServeProcess.StartAsync("B", database, cancellationToken);
                first.AdminKey.ShouldNotBeNull($"the first server on a new database prints an admin key\n{first.Output}");
                second.AdminKey.ShouldBeNull($"the second server finds keys and makes none\n{second.Output}");
                return new Cluster(first, second, first.AdminKey, database);
            }
            catch
            {
                await DisposeAsync(first);
                await DisposeAsync(second);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            A.Dispose();
            B.Dispose();
            foreach (var process in Processes)
            {
                await process.DisposeAsync();
            }
        }

        private static async ValueTask DisposeAsync(ServeProcess? process)
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }
    }
}
