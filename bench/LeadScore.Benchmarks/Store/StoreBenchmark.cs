using System.Diagnostics;
using System.Globalization;
using LeadScore.Engine.Subjects;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Benchmarks.Store;

/// <summary>
/// End-to-end store measurements, outside BenchmarkDotNet because each iteration is seconds of real
/// database work: events ingested per second with real-time scoring (batches of 1,000), and the
/// bulk re-score a publish runs. Usage:
/// <c>store-ingest DB [contacts] [events-per-contact] [random|interleaved|clustered] [automations] [history=N]</c> and
/// <c>store-bulk DB [contacts] [events-per-contact] [traffic]</c> (or the same in two processes: <c>store-load</c>, then
/// <c>store-publish DB [contacts]</c>), where DB is a SQLite path or a PostgreSQL
/// connection string. Random traffic (the default) gives every event of a batch a different contact,
/// drawn from anywhere, as live traffic does: the worst case, because the batch's writes land on pages
/// all over each table. Interleaved traffic also gives every event a different contact, but takes them
/// in id order, so a batch's contacts are neighbours and share pages (how this benchmark ran before
/// 2026-11-24: about 1.7 times as fast). Clustered traffic keeps each contact's events together, as a session does.
/// With <c>automations</c>, two automations act on every MQL crossing and fall (stage, owner, tag,
/// webhook into the outbox; nurture list) inside the ingest transactions. With <c>history=N</c>, each
/// contact first gets N older events, from 210 to 120 days before the run, as a contact base that has
/// been live for months has: outside every window of the model, so a re-score need not read those of
/// windowed types (page views, email opens...), while downloads, webinars and demos count forever.
/// </summary>
internal static class StoreBenchmark
{
    private const int BatchSize = 1_000;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args.Length < 2)
        {
            output.WriteLine("usage: store-ingest|store-bulk|store-load|store-publish DB [contacts] [events-per-contact] [random|interleaved|clustered] [automations] [history=N]");
            return 2;
        }

        var contacts = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000;
        var perContact = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
        var traffic = args.Length > 4 && args[4] != "automations" && !args[4].StartsWith("history=", StringComparison.Ordinal) ? args[4] : "random";
        if (traffic is not ("random" or "interleaved" or "clustered"))
        {
            output.WriteLine($"unknown traffic '{traffic}': write random, interleaved or clustered");
            return 2;
        }

        var automations = args.Contains("automations");
        var history = args.Where(a => a.StartsWith("history=", StringComparison.Ordinal)).Select(a => int.Parse(a["history=".Length..], CultureInfo.InvariantCulture)).LastOrDefault();

        await using var store = await LeadStore.OpenAsync(args[1]);
        // store-load and store-publish split store-bulk in two processes, so a publish can be timed in a
        // process of its own on a file loaded once (a million contacts take minutes to generate and load).
        var workspace = args[0] is "store-load" or "store-publish"
            ? new WorkspaceId("bench-loaded")
            : new WorkspaceId("bench-" + DateTime.UtcNow.ToString("HHmmssfff", CultureInfo.InvariantCulture));
        await store.Workspaces.EnsureWorkspaceAsync(workspace, "benchmark");
        if (args[0] == "store-publish")
        {
            return await BulkAsync(store, workspace, contacts, await store.Events.CountEventsAsync(workspace), output);
        }

        if (args[0] == "store-ingest")
        {
            var events = await WriteContactsAsync(store, workspace, contacts, perContact, traffic);
            var old = await WriteHistoryAsync(store, workspace, contacts, history);
            output.WriteLine($"{store.Description}: {contacts:N0} contacts, {events.Count:N0} events ({traffic}{(automations ? ", with automations" : "")}" +
                $"{(old > 0 ? $", after {old:N0} older events" : "")}), machine {Environment.ProcessorCount} cores");
            return await IngestAsync(store, workspace, events, automations, output);
        }

        var loaded = await LoadAsync(store, workspace, contacts, perContact, traffic);
        output.WriteLine($"{store.Description}: {contacts:N0} contacts, {loaded.Events:N0} events ({traffic}), machine {Environment.ProcessorCount} cores");
        output.WriteLine($"loaded without scoring: {loaded.Events / loaded.Seconds:N0} events/s");
        if (args[0] == "store-load")
        {
            return 0;
        }

        return await BulkAsync(store, workspace, contacts, loaded.Events, output);
    }

    /// <summary>Writes the synthetic contacts and returns their events in the order the traffic sends them.</summary>
    private static async Task<List<EventInput>> WriteContactsAsync(ILeadStore store, WorkspaceId workspace, int contacts, int perContact, string traffic)
    {
        var subjects = SyntheticContacts.Generate(contacts, perContact);
        foreach (var chunk in subjects.Chunk(5_000))
        {
            await store.Records.UpsertContactsAsync(workspace, [.. chunk.Select(s => new ContactInput(s.Id, s.Fields))]);
        }

        // The generator dates events before its own fixed instant; move them to end now, as live traffic would.
        var shift = DateTimeOffset.UtcNow - SyntheticContacts.AsOf;
        return traffic switch
        {
            "clustered" => Clustered(subjects, shift),
            "interleaved" => Interleave(subjects, shift, null),
            _ => Interleave(subjects, shift, new Random(7)),
        };
    }

    /// <summary>Stores <paramref name="perContact"/> older events for each contact, before any model is published (so nothing is scored yet).</summary>
    private static async Task<int> WriteHistoryAsync(ILeadStore store, WorkspaceId workspace, int contacts, int perContact)
    {
        if (perContact == 0)
        {
            return 0;
        }

        // The generator's events span the 90 days before its instant; these end 120 days before now.
        var shift = DateTimeOffset.UtcNow - TimeSpan.FromDays(120) - SyntheticContacts.AsOf;
        var old = SyntheticContacts.Generate(contacts, perContact, seed: SyntheticContacts.DefaultSeed + 1)
            .SelectMany(s => s.Events.Select(e => new EventInput("old-" + e.Id, s.Id, null, e.Type, e.OccurredAt + shift, e.Properties)))
            .ToList();
        foreach (var chunk in old.Chunk(10_000))
        {
            await store.Events.IngestEventsAsync(workspace, chunk);
        }

        return old.Count;
    }

    /// <summary>
    /// Loads the contacts and events with no model published (so the load scores nothing), then lets go
    /// of the generated data and collects it: a publish runs in a process that holds its store, not
    /// gigabytes of test data (at 1,000,000 contacts that data was 16 GB, and walking it took the
    /// collector 14 s of a 59 s publish).
    /// </summary>
    private static async Task<(long Events, double Seconds)> LoadAsync(ILeadStore store, WorkspaceId workspace, int contacts, int perContact, string traffic)
    {
        var events = await WriteContactsAsync(store, workspace, contacts, perContact, traffic);
        var load = Stopwatch.StartNew();
        for (var start = 0; start < events.Count; start += 10_000)
        {
            await store.Events.IngestEventsAsync(workspace, events.GetRange(start, Math.Min(10_000, events.Count - start)));
        }

        var loaded = (events.Count, load.Elapsed.TotalSeconds);
        events.Clear();
        events.TrimExcess();
        return loaded;
    }

    private static async Task<int> IngestAsync(ILeadStore store, WorkspaceId workspace, List<EventInput> events, bool automations, TextWriter output)
    {
        await PublishAsync(store, workspace);
        if (automations)
        {
            await AddAutomationsAsync(store, workspace);
        }

        var batchSeconds = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        for (var start = 0; start < events.Count; start += BatchSize)
        {
            var batch = events.GetRange(start, Math.Min(BatchSize, events.Count - start));
            var watch = Stopwatch.StartNew();
            var result = await store.Events.IngestEventsAsync(workspace, batch);
            batchSeconds.Add(watch.Elapsed.TotalSeconds);
            if (result.Rejected.Length > 0)
            {
                output.WriteLine($"rejected: {result.Rejected[0]}");
                return 1;
            }
        }

        batchSeconds.Sort();
        var median = batchSeconds[batchSeconds.Count / 2];
        output.WriteLine($"ingest with real-time scoring, batches of {BatchSize:N0}: median batch {median * 1000:F1} ms = {BatchSize / median:N0} events/s; " +
            $"whole run {events.Count / total.Elapsed.TotalSeconds:N0} events/s ({total.Elapsed.TotalSeconds:F1} s, " +
            $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / total.Elapsed.TotalSeconds:F2} cores busy)");
        if (automations)
        {
            var runs = await store.Automations.ListAutomationRunsAsync(workspace, limit: 500);
            var queued = await store.Deliveries.ListDeliveriesAsync(workspace, new DeliveryQuery { Limit = 500 });
            output.WriteLine($"automations: {(runs.Value!.NextCursor is null ? runs.Value.Items.Count.ToString(CultureInfo.InvariantCulture) : "500+")} runs, " +
                $"{(queued.Value!.NextCursor is null ? queued.Value.Items.Count.ToString(CultureInfo.InvariantCulture) : "500+")} webhooks queued");
        }

        return 0;
    }

    private static async Task AddAutomationsAsync(ILeadStore store, WorkspaceId workspace)
    {
        foreach (var json in new[]
        {
            """
            {"name": "MQL hand-off", "model": "bench-balanced-30", "trigger": {"type": "score-above", "threshold": "mql"},
             "actions": [{"type": "set-lifecycle-stage", "stage": "mql"}, {"type": "assign-owner", "roundRobin": ["ana", "ben", "chloe"]},
                         {"type": "add-tag", "tag": "sales-ready"}, {"type": "webhook", "url": "https://hooks.example.com/mql"}]}
            """,
            """
            {"name": "Back to nurture", "model": "bench-balanced-30", "trigger": {"type": "score-below", "threshold": "mql"},
             "actions": [{"type": "remove-tag", "tag": "sales-ready"}, {"type": "add-to-list", "list": "nurture"}]}
            """,
        })
        {
            var saved = await store.Automations.SaveAutomationAsync(workspace, null, json);
            if (saved.Value?.Automation is null)
            {
                throw new InvalidOperationException($"The benchmark automation does not save: {string.Join("; ", saved.Value?.Errors ?? [])}");
            }
        }
    }

    private static async Task<int> BulkAsync(ILeadStore store, WorkspaceId workspace, int contacts, long events, TextWriter output)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var paused = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes();
        var watch = Stopwatch.StartNew();
        var job = await PublishAsync(store, workspace);
        var seconds = watch.Elapsed.TotalSeconds;
        // Cores kept busy: near the machine's core count, only less work per contact helps; well below it, overlap would.
        var cores = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / seconds;
        output.WriteLine($"bulk re-score on publish: {job.Done:N0} contacts in {seconds:F2} s = {job.Done / seconds:N0} contacts/s, {events / seconds:N0} events/s; " +
            $"1,000,000 contacts at this rate: {1_000_000 / (job.Done / seconds):F0} s; {cores:F2} cores busy, GC pauses {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s, " +
            $"{(GC.GetTotalAllocatedBytes() - allocated) / (double)Math.Max(1, job.Done) / 1024:F1} KB allocated per contact");
        return job.Done == contacts ? 0 : 1;
    }

    private static async Task<JobStatus> PublishAsync(ILeadStore store, WorkspaceId workspace)
    {
        var saved = await store.Models.SaveModelAsync(workspace, BenchmarkModels.ReadJson(BenchmarkModels.Balanced30));
        var publish = await store.Models.PublishModelAsync(workspace, saved.Version!.Key);
        return await store.Models.RunJobAsync(workspace, publish.Value!.Id);
    }

    // Each contact's events together, oldest first.
    private static List<EventInput> Clustered(ScoringSubject[] subjects, TimeSpan shift) =>
        [.. subjects.SelectMany(s => s.Events.OrderBy(e => e.OccurredAt).Select(e => new EventInput(e.Id, s.Id, null, e.Type, e.OccurredAt + shift, e.Properties)))];

    // Round-robin over contacts, as live traffic mixes people: a batch touches many contacts. Each round
    // takes the contacts in id order, or in an order of its own drawn from shuffle.
    private static List<EventInput> Interleave(ScoringSubject[] subjects, TimeSpan shift, Random? shuffle)
    {
        var events = new List<EventInput>(subjects.Sum(s => s.Events.Count));
        var longest = subjects.Max(s => s.Events.Count);
        var order = subjects.ToArray();
        for (var round = 0; round < longest; round++)
        {
            shuffle?.Shuffle(order);
            foreach (var subject in order)
            {
                if (round < subject.Events.Count)
                {
                    var e = subject.Events[round];
                    events.Add(new EventInput(e.Id, subject.Id, null, e.Type, e.OccurredAt + shift, e.Properties));
                }
            }
        }

        return events;
    }
}
