using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Tests.Fixtures;
using Npgsql;

namespace LeadScore.Server.Tests.MultiInstance;

/// <summary>
/// One of the two servers is SIGKILLed while clients send event batches to both and while it runs a
/// publish's re-score job: what it acknowledged is kept, once; scores equal a single server's over the
/// same events; its job lease passes to the survivor, which finishes the job and keeps serving.
/// </summary>
public sealed partial class TwoServersTests
{
    /// <summary>Contacts without events, only there to make the publish job long enough (several chunks of 2,000) to be killed in the middle of.</summary>
    private const int BulkContacts = 8_000;

    private const int KillEvents = 2_000;

    [Fact]
    public async Task Ingest_OneServerKilledMidwayAndMidJob_KeepsEachAcknowledgedEventOnce_ScoresAsOneServer_AndTheSurvivorFinishesTheJob()
    {
        await using var cluster = await Cluster.StartAsync(postgres, Ct);
        await PutBulkContactsAsync(cluster.B);
        await Task.WhenAll(ContactIds(withFields: true).Select((id, n) => PutContactAsync(n % 2 == 0 ? cluster.A : cluster.B, id)));
        await WaitForJobAsync(cluster.B, await PublishAsync(cluster.B, ModelV1), cluster.Logs);
        using (var created = await cluster.B.PostAsync("/api/v1/automations", new StringContent("""
            {"name": "MQL", "model": "cluster", "trigger": {"type": "score-above", "threshold": "mql"}, "actions": [{"type": "add-tag", "tag": "mql"}]}
            """, Encoding.UTF8, "application/json"), Ct))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        }

        var events = KnownEvents(seed: 21);
        var batches = events.Chunk(EventsPerBatch).Select((batch, n) => new SentBatch(n, n % 2 == 0 ? "A" : "B", batch)).ToList();
        var ackedOnA = 0;
        var readyToKill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Two clients per server, each sending its server's batches one after another, as loaders do.
        var senders = new List<Task>();
        foreach (var (name, client) in new[] { ("A", cluster.A), ("B", cluster.B) })
        {
            var queue = new ConcurrentQueue<SentBatch>(batches.Where(b => b.Server == name));
            for (var sender = 0; sender < 2; sender++)
            {
                senders.Add(Task.Run(async () =>
                {
                    while (queue.TryDequeue(out var batch))
                    {
                        await batch.SendAsync(client);
                        if (name == "A" && batch.Acknowledged && Interlocked.Increment(ref ackedOnA) == 8)
                        {
                            readyToKill.TrySetResult();
                        }
                    }
                }, Ct));
            }
        }

        await readyToKill.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var jobId = await PublishAsync(cluster.A, ModelV2);
        var jobAtKill = await WaitUntilJobRunsAsync(cluster, jobId);
        var exitCode = await cluster.Processes[0].KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        await Task.WhenAll(senders);

        exitCode.ShouldBe(137, "128 + SIGKILL");
        var acknowledged = batches.Where(b => b.Acknowledged).ToList();
        var refused = batches.Where(b => b is { Acknowledged: false, Failure: not null }).ToList();
        acknowledged.Count(b => b.Server == "A").ShouldBeGreaterThanOrEqualTo(8);
        acknowledged.Count(b => b.Server == "B").ShouldBe(batches.Count(b => b.Server == "B"), string.Join("\n", refused.Select(b => b.Failure)) + cluster.Logs);
        refused.ShouldAllBe(b => b.Server == "A", "only the killed server's requests fail");
        refused.ShouldNotBeEmpty("the kill came while A still had batches to take");

        // The survivor keeps serving: reads, writes, and the dead server's job.
        (await cluster.B.GetAsync("/readyz", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var job = await WaitForJobAsync(cluster.B, jobId, cluster.Logs, TimeSpan.FromSeconds(120));
        (job.GetProperty("done").GetInt64(), job.GetProperty("total").GetInt64()).ShouldBe((BulkContacts + Contacts, BulkContacts + Contacts), cluster.Logs);
        cluster.Processes[1].Output.Split('\n').ShouldContain(
            line => line.Contains($"Job {jobId} (rescore cluster v2)", StringComparison.Ordinal) && line.Contains("Completed", StringComparison.OrdinalIgnoreCase),
            $"B finished the job A was running when it died{cluster.Logs}");

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"A killed with the job at {jobAtKill}; B finished it {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:0.0} s later. "
            + $"Batches: {acknowledged.Count(b => b.Server == "A")} acknowledged by A, {refused.Count} refused by the dying A, "
            + $"{acknowledged.Count(b => b.Server == "B")} acknowledged by B.");

        // Stored: every acknowledged event once, for its contact; an unacknowledged one at most once.
        var stored = await StoredEventsAsync(cluster.Database);
        foreach (var (id, contact, _) in acknowledged.SelectMany(b => b.Events))
        {
            stored.TryGetValue(id, out var copies).ShouldBeTrue($"acknowledged event {id} is stored{cluster.Logs}");
            copies.ShouldBe([contact], $"event {id}");
        }

        stored.Values.ShouldAllBe(copies => copies.Count == 1, "no event is stored twice");
        var storedUnacknowledged = refused.SelectMany(b => b.Events).Count(e => stored.ContainsKey(e.Id));
        stored.Count.ShouldBe(acknowledged.Sum(b => b.Events.Length) + storedUnacknowledged, "nothing but what was sent");

        // Nothing stays claimed by the dead process: every job ended, no job or delivery holds a lease.
        (await CountAsync(cluster.Database, "SELECT COUNT(*) FROM jobs WHERE state NOT IN ('completed', 'cancelled') OR claimed_by IS NOT NULL")).ShouldBe(0);
        (await CountAsync(cluster.Database, "SELECT COUNT(*) FROM deliveries WHERE claimed_by IS NOT NULL")).ShouldBe(0);

        // Scores: as one server that was never killed, given the same contacts and the events that were stored.
        await using var single = await RunningServer.StartPostgresAsync(postgres, cancellationToken: Ct);
        await WaitForJobAsync(single.Client, await PublishAsync(single.Client, ModelV1), "");
        foreach (var id in ContactIds(withFields: true))
        {
            await PutContactAsync(single.Client, id);
        }

        await WaitForJobAsync(single.Client, await PublishAsync(single.Client, ModelV2), "");
        foreach (var batch in events.Where(e => stored.ContainsKey(e.Id)).Chunk(EventsPerBatch))
        {
            using var response = await single.Client.PostAsync("/api/v1/events/batch", Json(batch), Ct);
            await ShouldSucceedAsync(response, "POST events/batch to the single server");
        }

        foreach (var id in ContactIds(withFields: false))
        {
            var expected = await CurrentScoreAsync(single.Client, id);
            var actual = await CurrentScoreAsync(cluster.B, id);
            actual.ShouldBe(expected, $"contact {id}{cluster.Logs}");
            actual.Version.ShouldBe(2);
            ShouldBeAnUnbrokenChain(await HistoryAsync(cluster.B, id), actual.Score, actual.Points, $"contact {id}{cluster.Logs}");
            var runs = await cluster.B.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{id}/automation-runs", Ct);
            runs.GetProperty("items").GetArrayLength().ShouldBeLessThanOrEqualTo(1, $"points only grow: at most one crossing for contact {id}{cluster.Logs}");
        }

        // And it takes new work: the batches the dead server refused, sent again to the survivor (duplicates are answered as such).
        foreach (var batch in refused)
        {
            using var response = await cluster.B.PostAsync("/api/v1/events/batch", Json(batch.Events), Ct);
            await ShouldSucceedAsync(response, "POST a refused batch again to B");
        }

        (await StoredEventsAsync(cluster.Database)).Count.ShouldBe(events.Count);
        TestContext.Current.TestOutputHelper?.WriteLine($"Of the refused batches' {refused.Sum(b => b.Events.Length)} events, {storedUnacknowledged} had been stored.");
    }

    /// <summary>Events for the test's contacts (every one opens an email first), each with a known id and contact.</summary>
    private static List<(string Id, string Contact, string Json)> KnownEvents(int seed)
    {
        var random = new Random(seed);
        var types = new[] { "email_open", "page_view", "page_view", "demo_requested", "webinar_attended" };
        var start = DateTimeOffset.UtcNow.AddDays(-5);
        var events = new List<(string, string, string)>(KillEvents);
        for (var n = 0; n < KillEvents; n++)
        {
            var contact = $"c{(n < Contacts ? n : random.Next(Contacts)):00}";
            var type = n < Contacts ? "email_open" : types[random.Next(types.Length)];
            var properties = type == "page_view" ? $$""", "properties": {"url": "{{(random.Next(2) == 0 ? "/pricing" : "/blog")}}"}""" : "";
            var occurredAt = start.AddMinutes(random.Next(5 * 24 * 60 - 60)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var id = $"k{seed}-e{n}";
            events.Add((id, contact, $$"""{"id": "{{id}}", "contact": "{{contact}}", "type": "{{type}}", "occurredAt": "{{occurredAt}}"{{properties}}}"""));
        }

        return events;
    }

    private static StringContent Json(IEnumerable<(string Id, string Contact, string Json)> events) =>
        new("[" + string.Join(",\n", events.Select(e => e.Json)) + "]", Encoding.UTF8, "application/json");

    private static async Task PutBulkContactsAsync(HttpClient client)
    {
        foreach (var chunk in Enumerable.Range(0, BulkContacts).Chunk(2_000))
        {
            var body = "[" + string.Join(",", chunk.Select(n => $$"""{"id": "bulk{{n:0000}}", "email": "bulk{{n}}@bulk.example"}""")) + "]";
            using var response = await client.PostAsync("/api/v1/contacts/batch", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            await ShouldSucceedAsync(response, "POST contacts/batch");
        }
    }

    /// <summary>Waits until A has committed some chunks of the job but not all: the moment to kill it.</summary>
    private static async Task<string> WaitUntilJobRunsAsync(Cluster cluster, long jobId)
    {
        var state = "";
        await WaitUntilAsync(
            async () =>
            {
                await using var connection = new NpgsqlConnection(cluster.Database);
                await connection.OpenAsync(Ct);
                await using var command = new NpgsqlCommand("SELECT state, done, total FROM jobs WHERE id = @id", connection);
                command.Parameters.AddWithValue("id", jobId);
                await using var reader = await command.ExecuteReaderAsync(Ct);
                await reader.ReadAsync(Ct);
                state = $"{reader.GetString(0)} {reader.GetInt64(1)} of {reader.GetInt64(2)}";
                (reader.GetString(0) is "completed" or "cancelled").ShouldBeFalse($"the job ended before A could be killed in its middle ({state}): make it longer");
                return reader.GetInt64(1) > 0;
            },
            () => $"job {jobId} did not start: {state}{cluster.Logs}");
        return state;
    }

    /// <summary>Every stored event of the default workspace: its id and the contacts it is stored for (one, unless stored twice).</summary>
    private static async Task<Dictionary<string, List<string>>> StoredEventsAsync(string database)
    {
        var stored = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT id, contact_id FROM events WHERE workspace_id = 'default'", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            var id = reader.GetString(0);
            if (!stored.TryGetValue(id, out var contacts))
            {
                stored[id] = contacts = [];
            }

            contacts.Add(reader.GetString(1));
        }

        return stored;
    }

    private static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }

    /// <summary>A batch of events and what became of it: acknowledged (2xx, every event accepted or a duplicate) or refused with why.</summary>
    private sealed class SentBatch(int number, string server, (string Id, string Contact, string Json)[] events)
    {
        public int Number { get; } = number;

        public string Server { get; } = server;

        public (string Id, string Contact, string Json)[] Events { get; } = events;

        public bool Acknowledged { get; private set; }

        public string? Failure { get; private set; }

        public async Task SendAsync(HttpClient client)
        {
            try
            {
                using var response = await client.PostAsync("/api/v1/events/batch", Json(Events), Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                if (!response.IsSuccessStatusCode)
                {
                    Failure = $"batch {Number} to {Server}: {(int)response.StatusCode} {body}";
                    return;
                }

                using var result = JsonDocument.Parse(body);
                result.RootElement.GetProperty("accepted").GetInt32().ShouldBe(Events.Length, body);
                Acknowledged = true;
            }
            catch (HttpRequestException ex)
            {
                Failure = $"batch {Number} to {Server}: {ex.Message}";
            }
        }
    }
}
