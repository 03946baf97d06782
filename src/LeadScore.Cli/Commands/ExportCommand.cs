using System.CommandLine;

namespace LeadScore.Cli.Commands;

/// <summary><c>leadscore export scores</c>: the stored scores as a file for spreadsheets and CRMs.</summary>
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
        return new Command("export", "Exports stored data as files.") { scores };
    }
}
