using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;
using LeadScore.Storage.Models;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scores;
using Npgsql;

namespace LeadScore.Storage.Tests;

/// <summary>Several server processes on one PostgreSQL: each store instance stands for one.</summary>
public sealed partial class PostgresStoreTests
{
    private const string CountingModel = """
        {"key": "m", "target": "contact", "scale": 100, "encoding": "points",
         "categories": [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 50}],
         "rules": [{"key": "opens", "category": "engagement", "points": 1, "per": "occurrence", "maxPoints": 50, "event": {"type": "email_open"}},
                   {"key": "demo", "category": "engagement", "points": 5, "event": {"type": "demo_requested", "within": "7d"}}]}
        """;

    [Fact]
    public async Task Open_FourProcessesStartingTogetherOnANewDatabase_AllStartAndTheSchemaIsMigratedOnce()
    {
        var connection = await server.CreateDatabaseAsync(Ct);

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => LeadStore.OpenAsync(connection, null, Ct), Ct)));

        try
        {
            await using var data = NpgsqlDataSource.Create(connection);
            await using var count = data.CreateCommand("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations");
            await using var reader = await count.ExecuteReaderAsync(Ct);
            await reader.ReadAsync(Ct);
            reader.GetInt64(0).ShouldBe(reader.GetInt64(1));
            (await stores[3].Models.GetModelVersionsAsync(Default, null, Ct)).ShouldBeEmpty();
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// An ingest that waits for a contact a publication's re-score holds must score with the model
    /// published meanwhile: read before the wait, the old version's score overwrote the new one's, and
    /// a lead crossed its threshold a second time (found by the two-server kill test).
    /// </summary>
    [Fact]
    public async Task IngestEvents_WaitingForAContactWhileANewVersionIsPublished_ScoresWithTheNewVersion()
    {
        await PublishAsync(CountingModel);
        await IngestAsync(Some.Event("c1", "email_open"));
        await using var data = NpgsqlDataSource.Create(Connection);
        await using var holder = await data.OpenConnectionAsync(Ct);
        await using var held = await holder.BeginTransactionAsync(Ct);
        await using (var lockRow = new NpgsqlCommand("SELECT id FROM contacts WHERE workspace_id = 'default' AND id = 'c1' FOR UPDATE", holder, held))
        {
            await lockRow.ExecuteNonQueryAsync(Ct);
        }

        var ingest = Task.Run(() => Store.Events.IngestEventsAsync(Default, [Some.Event("c1", "email_open")], null, Ct), Ct);
        await WaitForABackendWaitingOnALockAsync(data);
        var v2 = await Store.Models.SaveModelAsync(Default, CountingModel.Replace("\"points\": 1,", "\"points\": 2,", StringComparison.Ordinal), Ct);
        var published = await Store.Models.PublishModelAsync(Default, "m", v2.Version!.Version, Ct);
        await held.CommitAsync(Ct);
        await ingest;

        published.Succeeded.ShouldBeTrue();
        var score = (await ScoreAsync("c1")).ShouldNotBeNull();
        (score.ModelVersion, score.Points).ShouldBe((2, 4), "two opens at 2 points each under version 2");
    }

    /// <summary>Waits (a signal from PostgreSQL itself, not a guess of time) until some backend of this database waits for a row lock.</summary>
    private static async Task WaitForABackendWaitingOnALockAsync(NpgsqlDataSource data)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            await using var waiting = data.CreateCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
            if ((long)(await waiting.ExecuteScalarAsync(timeout.Token))! > 0)
            {
                return;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task IngestEvents_TwoStoresInterleavedBatchesForTheSameContacts_EveryScoreEqualsAFreshRescore()
    {
        await PublishAsync(CountingModel);
        await using var second = await OpenAnotherAsync();
        var contacts = Enumerable.Range(0, 8).Select(i => $"p{i}").ToArray();
        // Each batch names every contact, in an order of its own, so the two stores contend on every row.
        EventInput[] Batch(int b) => [.. contacts.Select((c, i) => (c, i)).OrderBy(x => (x.i * 7 + b * 3) % contacts.Length)
            .Select(x => Some.Event(x.c, b % 5 == 0 ? "demo_requested" : "email_open", Some.Now.AddMinutes(-b - 1)))];
        var batches = Enumerable.Range(0, 40).Select(Batch).ToArray();

        await Task.WhenAll(
            Task.Run(async () => { foreach (var batch in batches.Where((_, i) => i % 2 == 0)) { await Store.Events.IngestEventsAsync(Default, batch, null, Ct); } }, Ct),
            Task.Run(async () => { foreach (var batch in batches.Where((_, i) => i % 2 == 1)) { await second.Events.IngestEventsAsync(Default, batch, null, Ct); } }, Ct));

        foreach (var contact in contacts)
        {
            var events = await Store.Events.GetEventsAsync(Default, contact, Ct);
            events.Count.ShouldBe(40);
            var score = (await ScoreAsync(contact)).ShouldNotBeNull();
            score.Line.ShouldBe(Some.OfflineLine(CountingModel, ScoringSubject.ForContact(contact, new Dictionary<string, FieldValue>(), events), Some.Now));
            var history = await HistoryAsync(contact);
            history[0].OldScore.ShouldBeNull();
            for (var i = 1; i < history.Count; i++)
            {
                history[i].OldScore.ShouldBe(history[i - 1].NewScore, $"history row {i} of {contact}");
            }

            history[^1].NewScore.ShouldBe(score.Score);
        }
    }

    [Fact]
    public async Task RunJob_TwoStoresAtOnce_EveryRecordIsScoredOnce()
    {
        await Store.Records.UpsertContactsAsync(Default, [.. Enumerable.Range(0, 3 * ModelStore.JobChunkSize).Select(i => Some.Contact($"c{i:0000}", ("jobTitle", "VP")))], Ct);
        await Store.Models.SaveModelAsync(Default, Some.SeniorModel(), Ct);
        var jobId = (await Store.Models.PublishModelAsync(Default, "m", null, Ct)).Value!.Id;
        await using var second = await OpenAnotherAsync();

        var results = await Task.WhenAll(
            Task.Run(() => Store.Models.RunJobAsync(Default, jobId, null, Ct), Ct),
            Task.Run(() => second.Models.RunJobAsync(Default, jobId, null, Ct), Ct));

        // One ran it to the end; the other found it held (or already completed) and left it.
        results.ShouldContain(r => r.State == JobState.Completed);
        var job = (await Store.Models.GetJobAsync(Default, jobId, Ct)).ShouldNotBeNull();
        (job.State, job.Done).ShouldBe((JobState.Completed, 3L * ModelStore.JobChunkSize));
        foreach (var id in new[] { "c0000", "c2000", "c5999" })
        {
            (await HistoryAsync(id)).ShouldHaveSingleItem().Cause.ShouldBe(ScoreChangeCause.Publish);
        }
    }

    [Fact]
    public async Task Sweep_WhileAnotherProcessSweeps_ReturnsAtOnceWithNothing()
    {
        await PublishAsync(CountingModel);
        await IngestAsync(Some.Event("c1", "demo_requested", Some.Now.AddHours(-1)));
        Clock.Advance(TimeSpan.FromDays(8));
        await using var other = new NpgsqlConnection(Connection + ";Pooling=false");
        await other.OpenAsync(Ct);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({ScoreStore.SweeperLockKey})", other))
        {
            await take.ExecuteNonQueryAsync(Ct);
        }

        var whileHeld = await Store.Scores.SweepAsync(cancellationToken: Ct);
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({ScoreStore.SweeperLockKey})", other))
        {
            await release.ExecuteNonQueryAsync(Ct);
        }

        var afterwards = await Store.Scores.SweepAsync(cancellationToken: Ct);

        whileHeld.ShouldBe(0);
        afterwards.ShouldBe(1);
        (await ScoreAsync("c1")).ShouldNotBeNull().Points.ShouldBe(0);
    }

    [Fact]
    public async Task Sweep_AfterARun_LeavesTheLockFree()
    {
        await Store.Scores.SweepAsync(cancellationToken: Ct);

        await using var other = new NpgsqlConnection(Connection + ";Pooling=false");
        await other.OpenAsync(Ct);
        await using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({ScoreStore.SweeperLockKey})", other);

        ((bool)(await take.ExecuteScalarAsync(Ct))!).ShouldBeTrue();
    }
}
