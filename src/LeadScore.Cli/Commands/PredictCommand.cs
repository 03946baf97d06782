using System.CommandLine;
using System.Globalization;
using LeadScore.Cli.Input;
using LeadScore.Cli.Output;
using LeadScore.Engine.Scoring;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Models;

namespace LeadScore.Cli.Commands;

/// <summary><c>leadscore predict</c>: scores a CSV with a model from <c>leadscore train</c>.</summary>
internal static class PredictCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<FileInfo>("--model") { Description = "The model zip written by 'leadscore train'.", Required = true };
        var csv = new Option<FileInfo>("--csv") { Description = "Leads with the training file's columns; extra columns are ignored, absent ones read as missing.", Required = true };
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the CSV to this file instead of standard output." };

        var command = new Command("predict", """
            Predicts each lead's probability to convert (0-100), priority tier (very high, high, medium, low)
            and top 3 factors, as a CSV with the columns id,probability,tier,factors. Each factor compares the
            lead with the typical training lead and says by how many probability points it moves it ("+4 pts").
            Example: leadscore predict --model model.zip --csv new-leads.csv --out predictions.csv
            """)
        {
            model, csv, outFile,
        };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(csv)!, parse.GetValue(outFile), output, error));
        return command;
    }

    private static int Run(FileInfo modelFile, FileInfo csv, FileInfo? outFile, TextWriter output, TextWriter error)
    {
        var loaded = LeadModel.Load(modelFile.FullName);
        if (loaded.Model is null)
        {
            error.WriteLine($"leadscore: {loaded.Error}.");
            return ExitCodes.UserError;
        }

        var read = CsvTable.ReadFile(csv.FullName);
        if (read.Table is null)
        {
            error.WriteLine($"leadscore: cannot read {csv.Name}: {read.Error}.");
            return ExitCodes.UserError;
        }

        var predictions = loaded.Model.Predict(read.Table);
        using var file = outFile is null ? null : new StreamWriter(outFile.FullName);
        var writer = file ?? output;
        writer.WriteLine("id,probability,tier,factors");
        foreach (var prediction in predictions)
        {
            CsvRecords.WriteRecord(writer,
            [
                prediction.Id,
                prediction.Percent.ToString(CultureInfo.InvariantCulture),
                PriorityTiers.Name(prediction.Tier),
                string.Join("; ", prediction.Factors.Select(f => $"{f} ({PointsText.Signed(f.Points)})")),
            ]);
        }

        return ExitCodes.Success;
    }
}
