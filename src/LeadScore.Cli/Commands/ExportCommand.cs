using System.CommandLine;
using LeadScore.Cli.Output;

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
        var scores = new Command("scores", """
            Writes the current scores under a published model to a file, one row per record ordered by id,
            with the columns of 'leadscore score': score, points, grade, thresholds, every category.
            Example: leadscore export scores --model balanced --out scores.csv
            """)
        {
            model, format, outFile,
        };
        store.AddTo(scores);
        scores.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(outFile)!;
            var code = await ScoresCommand.RunAsync(
                parse.GetValue(model), parse.GetValue(format)!, file, store, parse, output, error, clock, cancellationToken);
            if (code == ExitCodes.Success)
            {
                error.WriteLine($"leadscore: wrote {file.FullName}");
            }

            return code;
        });
        return new Command("export", "Exports stored data as files.") { scores, Predictions(output, error, clock) };
    }

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
