using System.CommandLine;
using LeadScore.Cli.Output;
using LeadScore.Engine.Parsing;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Commands;

/// <summary><c>leadscore export scores|predictions</c>: stored scores and predictions as files for spreadsheets and CRMs.</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var model = new Option<string?>("--model") { Description = "The model key; may be left out when one model is published." };
        var format = new Option<string>("--format") { Description = "csv (default) or jsonl.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var outFile = new Option<FileInfo>("--out") { Description = "The file to write (replaced only when complete).", Required = true };
        var store = new StoreOptions();
        var status = new Option<string>("--status")
        {
            Description = $"Which leads: open (default), all, or a comma-separated list of {string.Join(", ", LeadStatuses.Names)}.",
            DefaultValueFactory = _ => "open",
        };
        var scores = new Command("scores", """
            Writes the current scores under a published model to a file in the order sales calls them
            (as 'leadscore leads': open leads only unless --status says otherwise, qualified first, then by
            points, then by predicted chance), one row per record: its status, a contact's name, email and
            company, then the columns of 'leadscore score' (score, points, grade, thresholds, every category).
            Example: leadscore export scores --model balanced --out scores.csv
            """)
        {
            model, status, format, outFile,
        };
        store.AddTo(scores);
        scores.SetAction(async (parse, cancellationToken) =>
        {
            if (LeadStatuses.FilterNamed(parse.GetValue(status)) is not { } statuses)
            {
                error.WriteLine($"leadscore: --status '{parse.GetValue(status)}' is not all or a comma-separated list of {string.Join(", ", LeadStatuses.Names)}.");
                return ExitCodes.UserError;
            }

            return await store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
            {
                var versions = await opened.Models.GetModelVersionsAsync(workspace, cancellationToken: cancellationToken);
                if (ScoresCommand.PickModel(versions, parse.GetValue(model), workspace, opened.Description, out var problem) is not { } picked)
                {
                    error.WriteLine($"leadscore: {problem}");
                    return ExitCodes.UserError;
                }

                var file = parse.GetValue(outFile)!;
                var categories = ScoringModelJson.Parse(picked.Definition).Model?.Categories.Select(c => c.Key).ToArray() ?? [];
                var written = 0;
                using (var writer = ScoreWriter.Open(parse.GetValue(format)!, picked.Target.ToString().ToLowerInvariant(), categories, file, output, LeadColumns))
                {
                    string? cursor = null;
                    do
                    {
                        var page = await opened.Leads.ListLeadsAsync(
                            workspace, new LeadQuery(picked.Key) { Statuses = statuses, Limit = LeadQuery.MaxLimit, Cursor = cursor }, cancellationToken);
                        if (!page.Succeeded)
                        {
                            error.WriteLine($"leadscore: {page.Error.Message}");
                            return ExitCodes.UserError;
                        }

                        foreach (var lead in page.Value.Items)
                        {
                            writer.Write(lead.Line, [lead.Status is { } s ? LeadStatuses.Name(s) : null, lead.Contact?.Name, lead.Contact?.Email, lead.Contact?.Company]);
                            written++;
                        }

                        cursor = page.Value.NextCursor;
                    }
                    while (cursor is not null);

                    writer.Commit();
                }

                error.WriteLine($"leadscore: wrote {written:N0} leads to {file.FullName}");
                return ExitCodes.Success;
            });
        });
        return new Command("export", "Exports stored data as files.") { scores, Predictions(output, error, clock) };
    }

    /// <summary>What a row says about its record beside the score: where it stands, and who a contact is.</summary>
    private static readonly string[] LeadColumns = ["status", "name", "email", "company"];

    private static Command Predictions(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var format = new Option<string>("--format") { Description = "csv (default) or jsonl.", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var outFile = new Option<FileInfo>("--out") { Description = "The file to write (replaced only when complete).", Required = true };
        var store = new StoreOptions();
        var command = new Command("predictions", """
            Writes the predictive model's current prediction of every open contact to a file, ordered by contact id:
            percent and probability to convert within the horizon, priority tier, expected amount, days and value,
            and the reasons each way. Converted contacts have none.
            Example: leadscore export predictions --out predictions.csv
            """)
        {
            format, outFile,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
            await store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
            {
                if ((await opened.Predictive.ListPredictiveModelsAsync(workspace, cancellationToken)).Count == 0)
                {
                    error.WriteLine($"leadscore: workspace '{workspace}' has no predictive model yet, so no predictions; "
                        + "train one with 'leadscore predictive train', or let 'leadscore serve' train it on its schedule.");
                    return ExitCodes.UserError;
                }

                var file = parse.GetValue(outFile)!;
                var written = 0;
                using (var writer = PredictionWriter.Open(parse.GetValue(format)!, file, output))
                {
                    await foreach (var prediction in opened.Predictive.ListPredictionsAsync(workspace, cancellationToken))
                    {
                        writer.Write(prediction);
                        written++;
                    }

                    writer.Commit();
                }

                error.WriteLine($"leadscore: wrote {written:N0} predictions to {file.FullName}");
                return ExitCodes.Success;
            }));
        return command;
    }
}
