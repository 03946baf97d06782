using System.Diagnostics;
using System.Globalization;
using System.Text;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;
using LeadScore.Storage;

namespace LeadScore.Cli.Tests.Import;

/// <summary>
/// Kills a real <c>leadscore import</c> process (SIGKILL) in the middle of a long ingest and checks
/// what a user relies on: every batch it acknowledged is stored, no batch is half there, every stored
/// score equals a fresh re-score of the stored data, and running the import again finishes the job.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Events = 40_000;
    private const int Contacts = 400;

    [Fact]
    public async Task Import_KilledMidway_KeepsEveryAcknowledgedBatchAndConsistentScores()
    {
        using var files = new TempFiles();
        var eventsFile = files.Write("events.jsonl", EventLines());
        var model = Repository.File("examples/models/b2b-saas.json");
        CliRun.Of("model", "publish", model, "--db", files.Database).ExitCode.ShouldBe(0);

        var acknowledgedLine = await ImportUntilKilledAsync(eventsFile, files.Database, acknowledgedBatches: 3);

        await using (var store = await LeadStore.OpenAsync(files.Database, cancellationToken: TestContext.Current.CancellationToken))
        {
            var stored = new HashSet<string>(StringComparer.Ordinal);
            for (var c = 0; c < Contacts; c++)
            {
                stored.UnionWith((await store.Events.GetEventsAsync(WorkspaceId.Default, $"c{c}", TestContext.Current.CancellationToken)).Select(e => e.Id));
            }

            Enumerable.Range(1, acknowledgedLine).Where(n => !stored.Contains($"e{n}")).ShouldBeEmpty("acknowledged events missing");
            (stored.Count % 1_000).ShouldBe(0, "a batch is stored whole or not at all");
            await ShouldEqualFreshRescoresAsync(store, model);
        }

        var rerun = await RunLeadscoreAsync("import", "events", eventsFile, "--db", files.Database);
        rerun.ExitCode.ShouldBe(0, rerun.Error);
        await using (var store = await LeadStore.OpenAsync(files.Database, cancellationToken: TestContext.Current.CancellationToken))
        {
            (await store.Events.CountEventsAsync(WorkspaceId.Default, TestContext.Current.CancellationToken)).ShouldBe(Events);
            await ShouldEqualFreshRescoresAsync(store, model);
        }
    }

    private static async Task ShouldEqualFreshRescoresAsync(ILeadStore store, string modelPath)
    {
        var compiled = CompiledModel.Compile(ScoringModelJson.Parse(await File.ReadAllTextAsync(modelPath)).Model!);
        var checkedScores = 0;
        await foreach (var score in store.Scores.ListScoresAsync(WorkspaceId.Default, "b2b-saas"))
        {
            var contact = (await store.Records.GetRecordAsync(WorkspaceId.Default, RecordKind.Contact, score.RecordId))!;
            var events = await store.Events.GetEventsAsync(WorkspaceId.Default, score.RecordId);
            var fresh = compiled.Score(ScoringSubject.ForContact(score.RecordId, contact.Fields, events), score.ScoredAt);
            score.Line.ShouldBe(ScoreLine.ToJson(fresh), $"contact {score.RecordId}");
            checkedScores++;
        }

        checkedScores.ShouldBeGreaterThan(0);
    }

    private static async Task<int> ImportUntilKilledAsync(string eventsFile, string database, int acknowledgedBatches)
    {
        using var process = Start("import", "events", eventsFile, "--db", database, "--log-batches");
        var acknowledged = 0;
        var lastLine = 0;
        while (acknowledged < acknowledgedBatches && await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("committed through line ", StringComparison.Ordinal))
            {
                lastLine = int.Parse(line.Split(' ')[3], CultureInfo.InvariantCulture);
                acknowledged++;
            }
        }

        process.HasExited.ShouldBeFalse("the import must still be running when it is killed; make the file longer");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        acknowledged.ShouldBe(acknowledgedBatches, await process.StandardError.ReadToEndAsync());
        return lastLine;
    }

    private static async Task<(int ExitCode, string Error)> RunLeadscoreAsync(params string[] args)
    {
        using var process = Start(args);
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await error);
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "leadscore.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static string EventLines()
    {
        var types = new[] { "email_open", "page_view", "demo_requested", "unsubscribe", "email_open", "page_view" };
        var start = DateTimeOffset.UtcNow.AddDays(-60);
        var text = new StringBuilder();
        for (var n = 1; n <= Events; n++)
        {
            var type = types[n % types.Length];
            var properties = type == "page_view" ? $$""", "properties": {"url": "{{(n % 3 == 0 ? "/pricing" : "/blog")}}"}""" : "";
            text.Append(CultureInfo.InvariantCulture, $$"""{"id": "e{{n}}", "contact": "c{{n % Contacts}}", "type": "{{type}}", "occurredAt": "{{start.AddMinutes(n * 2):O}}"{{properties}}}""");
            text.Append('\n');
        }

        return text.ToString();
    }
}
