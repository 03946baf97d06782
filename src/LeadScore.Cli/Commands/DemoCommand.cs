using System.CommandLine;
using System.Diagnostics;
using LeadScore.Cli.Generation;
using LeadScore.Cli.Import;
using LeadScore.Cli.Output;
using LeadScore.Engine.Model;
using LeadScore.Server.Features.Predictive;
using LeadScore.Server.Hosting;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore demo</c>: the product working in one command. It fills <c>./leadscore-demo.db</c> with
/// a synthetic funnel (first run only), publishes the balanced example model, and serves the API
/// with a fresh admin key until Ctrl+C.
/// </summary>
internal static class DemoCommand
{
    private const int DemoHorizonDays = 30;

    public const string DefaultDatabase = "leadscore-demo.db";

    private const string DemoKeyName = "demo admin key";

    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var db = new Option<string>("--db")
        {
            HelpName = "path|connection",
            Description = "The demo database; reused when it already holds the demo data.",
            DefaultValueFactory = _ => DefaultDatabase,
        };
        var urls = new Option<string>("--urls") { HelpName = "url", Description = "Where to listen.", DefaultValueFactory = _ => ServerOptions.DefaultUrls };
        var contacts = new Option<int>("--contacts")
        {
            HelpName = "N",
            Description = "How many contacts to generate on the first run (about 50 events each).",
            DefaultValueFactory = _ => GenerationOptions.DefaultContacts,
        };
        var seed = new Option<long>("--seed") { Description = "The generator's seed: the same seed, the same data.", DefaultValueFactory = _ => GenerationOptions.DefaultSeed };
        var noServe = new Option<bool>("--no-serve") { Description = "Prepare the database and print the key, then exit instead of serving." };
        var command = new Command("demo", """
            Runs LeadScore on a realistic synthetic B2B funnel: creates ./leadscore-demo.db, generates
            20,000 contacts at 2,000 companies with 90 days of activity and outcomes, imports them,
            publishes the balanced example model, and serves the API at http://127.0.0.1:5080 with a new
            admin key. Running it again reuses the database. Ctrl+C stops it.
            Example: leadscore demo --contacts 5000
            """)
        {
            db, urls, contacts, seed, noServe,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(db)!, parse.GetValue(urls)!, parse.GetValue(contacts), parse.GetValue(seed), parse.GetValue(noServe),
            output, error, clock, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string db, string urls, int contactCount, long seed, bool noServe, TextWriter output, TextWriter error, TimeProvider clock, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var now = clock.GetUtcNow();
        var generation = GenerationOptions.TryCreate(contactCount, null, GenerationOptions.DefaultDays, seed, now.ToString("O"), "jsonl", out var problem);
        if (generation is null)
        {
            error.WriteLine($"leadscore: {problem}.");
            return ExitCodes.UserError;
        }

        var workspace = WorkspaceId.Default;
        CreatedApiKey key;
        await using (var store = await StoreOptions.OpenAsync(db, error, clock, cancellationToken))
        {
            if (store is null)
            {
                return ExitCodes.InternalError;
            }

            var existing = await store.Records.ListRecordsAsync(workspace, RecordKind.Contact, null, 1, cancellationToken);
            if (existing.Value is { Items.Count: > 0 })
            {
                output.WriteLine($"Reusing {db}: its demo data is already there (delete the file to start over).");
            }
            else
            {
                var imported = await FillAsync(store, workspace, generation, output, error, cancellationToken);
                if (imported != ExitCodes.Success)
                {
                    return imported;
                }
            }

            if (!await EnsurePublishedAsync(store, workspace, output, error, cancellationToken))
            {
                return ExitCodes.InternalError;
            }

            // 90 days of history cannot show who converted within 90 days of a snapshot (that needs
            // snapshots 90 days back with history before them): the demo learns "within 30 days".
            if (await store.Predictive.GetPredictiveSettingsAsync(workspace, cancellationToken) is null)
            {
                await store.Predictive.SavePredictiveSettingsAsync(workspace, new PredictiveSettings { HorizonDays = DemoHorizonDays, SnapshotEveryDays = 15, MaxSnapshots = 4 }.Write(), cancellationToken);
            }

            output.WriteLine($"Predictive model: trained in the background once the server runs (converts within {DemoHorizonDays} days); follow it at /api/v1/predictive/status.");

            // Only a key's hash is stored, so every run makes a new one and retires the previous run's.
            foreach (var old in (await store.Keys.ListApiKeysAsync(workspace, cancellationToken)).Where(k => k.Name == DemoKeyName && k.RevokedAt is null))
            {
                await store.Keys.RevokeApiKeyAsync(workspace, old.Id, cancellationToken);
            }

            key = await store.Keys.CreateApiKeyAsync(workspace, ApiKeyScope.Admin, DemoKeyName, cancellationToken);
        }

        output.WriteLine($"Demo data ready in {watch.Elapsed.TotalSeconds:0.0} s.");
        if (noServe)
        {
            output.WriteLine($"Admin API key: {key.Secret}");
            return ExitCodes.Success;
        }

        return await ServeCommand.RunAsync(
            new ServerOptions { Connection = db, Urls = urls, Time = clock }, output, error, cancellationToken, $"Admin API key: {key.Secret}");
    }

    private static async Task<int> FillAsync(
        ILeadStore store, WorkspaceId workspace, GenerationOptions generation, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("leadscore-demo-").FullName;
        try
        {
            var generator = new FunnelGenerator(generation);
            var summary = await ConsoleProgress.RunAsync(error, $"generating {generation.Contacts:N0} contacts", progress =>
                Task.Run(() => generator.Write(folder, done => progress.Report(done, generation.Contacts), cancellationToken), cancellationToken));
            output.WriteLine(summary.ToString());

            // Imported before any model is published, so the events are stored without scoring one by
            // one; publishing then scores every contact once, in bulk.
            var files = generator.ImportableFiles.Select(f => Path.Combine(folder, f)).ToArray();
            if (!await ImportAsync(ImportKinds.Companies, files[0], store, workspace, output, error, cancellationToken)
                || !await ImportAsync(ImportKinds.Contacts, files[1], store, workspace, output, error, cancellationToken)
                || !await ImportAsync(ImportKinds.Deals, files[2], store, workspace, output, error, cancellationToken)
                || !await ImportAsync(ImportKinds.Events(strict: false), files[3], store, workspace, output, error, cancellationToken)
                || !await ImportAsync(ImportKinds.Outcomes, files[4], store, workspace, output, error, cancellationToken))
            {
                return ExitCodes.InternalError;
            }

            return ExitCodes.Success;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<bool> ImportAsync<T>(
        ImportKind<T> kind, string path, ILeadStore store, WorkspaceId workspace, TextWriter output, TextWriter error, CancellationToken cancellationToken)
        where T : class
    {
        var importer = new Importer<T>(kind, store, workspace, ColumnMap.None);
        var summary = await ConsoleProgress.RunAsync(error, $"importing {kind.Noun}", progress => importer.RunAsync(path, progress, null, cancellationToken));
        output.WriteLine(summary.ToString());
        if (summary.Rejected > 0)
        {
            error.WriteLine($"leadscore: the generated {kind.Noun} had {summary.Rejected} rejected rows; that is a bug in the generator.");
            return false;
        }

        return true;
    }

    private static async Task<bool> EnsurePublishedAsync(ILeadStore store, WorkspaceId workspace, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var resource = typeof(DemoCommand).Assembly.GetManifestResourceStream("balanced.json")!;
        using var reader = new StreamReader(resource);
        var saved = await store.Models.SaveModelAsync(workspace, await reader.ReadToEndAsync(cancellationToken), cancellationToken);
        var version = saved.Version!;
        if (version.Status == ModelStatus.Published)
        {
            return true;
        }

        var published = await store.Models.PublishModelAsync(workspace, version.Key, version.Version, cancellationToken);
        if (!published.Succeeded)
        {
            error.WriteLine($"leadscore: cannot publish the demo model: {published.Error}");
            return false;
        }

        var job = await ConsoleProgress.RunAsync(error, $"scoring every contact with {version.Key} v{version.Version}", progress =>
            store.Models.RunJobAsync(workspace, published.Value.Id, new ModelCommand.ReportingProgress<JobStatus>(s => progress.Report(s.Done, s.Total)), cancellationToken));
        output.WriteLine($"published {version.Key} v{version.Version}: scored {job.Done:N0} contacts");
        return job.State == JobState.Completed;
    }
}
