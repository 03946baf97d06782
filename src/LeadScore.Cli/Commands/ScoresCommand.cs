using System.CommandLine;
using LeadScore.Cli.Output;
using LeadScore.Engine.Parsing;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore scores</c>: prints the stored current scores of one published model, one line per
/// record, in the line format of offline <c>leadscore score</c>, so the two can be compared.
/// </summary>
internal static class ScoresCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var model = new Option<string?>("--model") { Description = "The model key; may be left out when one model is published." };
        var format = new Option<string>("--format") { Description = "jsonl (default) or csv.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var outFile = new Option<FileInfo?>("--out") { Description = "Write to this file (replaced only when complete) instead of standard output." };
        var store = new StoreOptions();

        var command = new Command("scores", """
            Prints the stored current scores under a published model, ordered by record id, with the same
            keys (jsonl) or columns (csv) as offline 'leadscore score'.
            Example: leadscore scores --model b2b-saas --format csv --out scores.csv
            """)
        {
            model, format, outFile,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(model), parse.GetValue(format)!, parse.GetValue(outFile), store, parse, output, error, clock, cancellationToken));
        return command;
    }

    /// <summary>Writes the stored scores of a model; shared with <c>export scores</c>.</summary>
    public static async Task<int> RunAsync(
        string? modelKey, string format, FileInfo? outFile, StoreOptions options, ParseResult parse,
        TextWriter output, TextWriter error, TimeProvider clock, CancellationToken cancellationToken)
    {
        var open = await options.OpenWorkspaceAsync(parse, forWriting: false, error, clock, cancellationToken);
        if (open.Store is null)
        {
            return open.ExitCode;
        }

        await using var store = open.Store;
        var workspace = open.Workspace;

        var versions = await store.Models.GetModelVersionsAsync(workspace, cancellationToken: cancellationToken);
        var model = PickModel(versions, modelKey, workspace, store.Description, out var problem);
        if (model is null)
        {
            error.WriteLine($"leadscore: {problem}");
            return ExitCodes.UserError;
        }

        var categories = ScoringModelJson.Parse(model.Definition).Model?.Categories.Select(c => c.Key).ToArray() ?? [];
        using var writer = ScoreWriter.Open(format, model.Target.ToString().ToLowerInvariant(), categories, outFile, output);
        await foreach (var score in store.Scores.ListScoresAsync(workspace, model.Key, cancellationToken))
        {
            writer.Write(score.Line);
        }

        writer.Commit();
        return ExitCodes.Success;
    }

    /// <summary>The published version of the model asked for, or of the only published model; null with the reason otherwise.</summary>
    public static ModelVersion? PickModel(
        IReadOnlyList<ModelVersion> versions, string? modelKey, WorkspaceId workspace, string database, out string? problem)
    {
        problem = null;
        var published = versions.Where(v => v.Status == ModelStatus.Published).OrderBy(v => v.Key, StringComparer.Ordinal).ToArray();
        var publishedKeys = published.Length == 0
            ? "none is published yet (leadscore model publish FILE)"
            : "published: " + string.Join(", ", published.Select(v => v.Key));
        if (modelKey is null)
        {
            if (published.Length == 1)
            {
                return published[0];
            }

            problem = published.Length == 0
                ? $"no model is published in workspace '{workspace}' of {database}; publish one with 'leadscore model publish FILE'."
                : $"{published.Length} models are published in workspace '{workspace}' ({string.Join(", ", published.Select(v => v.Key))}); choose one with --model.";
            return null;
        }

        if (published.FirstOrDefault(v => v.Key == modelKey) is { } match)
        {
            return match;
        }

        problem = versions.Any(v => v.Key == modelKey)
            ? $"model '{modelKey}' has no published version in workspace '{workspace}' (only drafts or retired versions); "
                + $"publish it with 'leadscore model publish FILE'."
            : $"there is no model '{modelKey}' in workspace '{workspace}' of {database}; {publishedKeys}.";
        return null;
    }
}
