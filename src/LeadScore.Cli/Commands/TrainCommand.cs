using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Evaluation;
using LeadScore.Prediction.Models;
using LeadScore.Prediction.Training;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore train</c>: learns the probability to convert from any CSV export, prints the
/// cross-validated metrics and writes the model zip that <c>leadscore predict</c> reads.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var csv = new Option<FileInfo>("--csv") { Description = "The CSV export (',' or ';' separated, with a header row).", Required = true };
        var label = new Option<string>("--label") { HelpName = "COLUMN", Description = "The column that says whether the lead converted.", Required = true };
        var positive = new Option<string?>("--positive")
        {
            HelpName = "VALUE",
            Description = "The label value that means converted (default: yes, true, 1, won or converted, in any case).",
        };
        var exclude = new Option<string[]>("--exclude")
        {
            HelpName = "COLUMN",
            Description = "A column to leave out of the features; repeat for more (one column each).",
            DefaultValueFactory = _ => [],
        };
        var id = new Option<string?>("--id") { HelpName = "COLUMN", Description = "The column identifying each lead: never a feature, and echoed by predict." };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds (2 to 20).", DefaultValueFactory = _ => 5 };
        var timeColumn = new Option<string?>("--time-column")
        {
            HelpName = "COLUMN",
            Description = "A column of ISO dates or instants: validate on newer rows with models trained on older ones (forward chaining over --folds time blocks) instead of stratified folds; never a feature.",
        };
        var tiers = new Option<string?>("--tiers")
        {
            HelpName = "Q1,Q2,Q3",
            Description = "Where the medium, high and very high tiers start, as quantiles of the out-of-fold probabilities (default 0.25,0.5,0.75).",
        };
        var excludeLeaky = new Option<bool>("--exclude-leaky")
        {
            Description = "Leave out a column the leakage check flags (it alone ranks the outcome better than all the other columns together); without it, such a column is kept and named with a warning.",
        };
        // For benchmarks: lets another tool (bench/prediction/compare-sklearn.sh) validate on exactly the same folds.
        var foldsOut = new Option<FileInfo?>("--folds-out") { Description = "Write each data row's validation fold (row,fold) to this CSV.", Hidden = true };
        var outFile = new Option<FileInfo>("--out") { Description = "Where to write the model.", DefaultValueFactory = _ => new FileInfo("model.zip") };
        var format = new Option<string>("--format") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");

        var command = new Command("train", """
            Trains a calibrated model of the probability to convert from a CSV export: infers the column
            types, cross-validates LightGBM, FastTree and a logistic regression with stratified folds (or on
            newer rows with --time-column), keeps
            the one with the best out-of-fold ROC-AUC, calibrates it, and prints the cross-validated metrics.
            Example: leadscore train --csv leads.csv --label converted --positive yes --exclude "call duration" --id "lead id" --out model.zip
            """)
        {
            csv, label, positive, exclude, excludeLeaky, id, folds, timeColumn, tiers, outFile, format, foldsOut,
        };
        command.SetAction(parse =>
        {
            if (ParseTiers(parse.GetValue(tiers)) is not { } tierQuantiles)
            {
                error.WriteLine($"leadscore: --tiers takes three comma-separated numbers like 0.5,0.75,0.9, not '{parse.GetValue(tiers)}'.");
                return ExitCodes.UserError;
            }

            var options = new TrainingOptions(parse.GetValue(label)!)
            {
                PositiveValues = parse.GetValue(positive) is { } value ? [value] : TrainingOptions.DefaultPositiveValues,
                Exclude = parse.GetValue(exclude) ?? [],
                IdColumn = parse.GetValue(id),
                Folds = parse.GetValue(folds),
                TimeColumn = parse.GetValue(timeColumn),
                TierQuantiles = tierQuantiles,
                ExcludeLeaky = parse.GetValue(excludeLeaky),
            };
            return Run(parse.GetValue(csv)!, options, parse.GetValue(outFile)!, parse.GetValue(format)!, parse.GetValue(foldsOut), output, error);
        });
        return command;
    }

    // Null when the text is not a list of numbers; whether the numbers make valid tiers is the trainer's to say.
    private static double[]? ParseTiers(string? text)
    {
        if (text is null)
        {
            return [.. TrainingOptions.DefaultTierQuantiles];
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }

        return values;
    }

    private static int Run(FileInfo csv, TrainingOptions options, FileInfo outFile, string format, FileInfo? foldsOut, TextWriter output, TextWriter error)
    {
        var read = CsvTable.ReadFile(csv.FullName);
        if (read.Table is null)
        {
            error.WriteLine($"leadscore: cannot read {csv.Name}: {read.Error}.");
            return ExitCodes.UserError;
        }

        switch (LeadModelTrainer.Train(read.Table, options))
        {
            case TrainingOutcome.Refused refused:
                error.WriteLine($"leadscore: {refused.Message}");
                return ExitCodes.UserError;
            case TrainingOutcome.Trained trained:
                trained.Model.Save(outFile.FullName);
                if (foldsOut is not null)
                {
                    File.WriteAllLines(foldsOut.FullName, trained.SplitOfRow
                        .Select((fold, row) => $"{row + 1},{fold?.ToString(CultureInfo.InvariantCulture)}")
                        .Prepend("row,fold"));
                }

                WarnOfLeaks(trained.Model.Manifest.Leakage, error);
                if (format == "json")
                {
                    WriteJson(trained.Model.Manifest, output);
                }
                else
                {
                    WriteText(trained, outFile, output);
                }

                return ExitCodes.Success;
            default:
                throw new InvalidOperationException("Unknown training outcome.");
        }
    }

    // On the error stream, so it shows even when the report goes to a file or is read as JSON.
    private static void WarnOfLeaks(LeakageReport leakage, TextWriter error)
    {
        foreach (var leak in leakage.Flagged)
        {
            error.WriteLine(leakage.LeftOut
                ? $"leadscore: left out '{leak.Column}': alone it ranks the outcome at AUC {F(leak.SingleFeatureAuc)}, better than all the other columns together ({F(leak.OthersAuc)}), so it likely records the outcome."
                : $"leadscore: warning: '{leak.Column}' alone ranks the outcome at AUC {F(leak.SingleFeatureAuc)}, better than all the other columns together ({F(leak.OthersAuc)}): "
                    + $"it likely records the outcome (known only after it). Train with --exclude-leaky or --exclude \"{leak.Column}\" unless it is known before you act.");
        }
    }

    private static string F(double value, string format = "0.000") => value.ToString(format, CultureInfo.InvariantCulture);

    private static void WriteJson(ModelManifest manifest, TextWriter output)
    {
        var metrics = manifest.Metrics;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("auc", Math.Round(metrics.Auc, 4));
            json.WriteNumber("prAuc", Math.Round(metrics.PrAuc, 4));
            json.WriteNumber("logLoss", Math.Round(metrics.LogLoss, 4));
            json.WriteNumber("brier", Math.Round(metrics.Brier, 4));
            json.WriteNumber("ece", Math.Round(metrics.Ece, 4));
            json.WriteNumber("liftTop10", Math.Round(metrics.LiftTop10, 3));
            json.WriteNumber("rows", metrics.Rows);
            json.WriteNumber("positives", metrics.Positives);
            json.WriteString("trainer", metrics.Trainer);
            json.WriteNumber("seconds", Math.Round(metrics.Seconds, 2));
            json.WriteString("validation", metrics.Validation);
            json.WriteNumber("largestCalibrationGap", Math.Round(metrics.LargestCalibrationGap, 4));
            json.WriteStartArray("calibration");
            foreach (var decile in metrics.Calibration)
            {
                json.WriteStartObject();
                json.WriteNumber("decile", decile.Decile);
                json.WriteNumber("rows", decile.Rows);
                json.WriteNumber("meanPredicted", Math.Round(decile.MeanPredicted, 4));
                json.WriteNumber("observedRate", Math.Round(decile.ObservedRate, 4));
                json.WriteNumber("gap", Math.Round(decile.Gap, 4));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (metrics.ShuffledAuc is { } shuffled)
            {
                json.WriteNumber("shuffledAuc", Math.Round(shuffled, 4));
            }

            json.WriteStartArray("baselines");
            foreach (var baseline in metrics.Baselines)
            {
                json.WriteStartObject();
                json.WriteString("name", baseline.Name);
                json.WriteString("method", baseline.Method);
                json.WriteNumber("auc", Math.Round(baseline.Auc, 4));
                json.WriteNumber("logLoss", Math.Round(baseline.LogLoss, 4));
                json.WriteNumber("brier", Math.Round(baseline.Brier, 4));
                json.WriteNumber("liftTop10", Math.Round(baseline.LiftTop10, 3));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("rulesBaseline", NoRules);
            json.WriteStartObject("leakage");
            if (manifest.Leakage.Tested is { } tested)
            {
                json.WriteStartObject("tested");
                WriteLeak(json, tested);
                json.WriteEndObject();
            }

            json.WriteStartArray("flagged");
            foreach (var leak in manifest.Leakage.Flagged)
            {
                json.WriteStartObject();
                WriteLeak(json, leak);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("leftOut", manifest.Leakage.LeftOut);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private const string NoRules = "none: a CSV comes without a published rules model to compare with";

    private static void WriteLeak(Utf8JsonWriter json, FeatureLeakage leak)
    {
        json.WriteString("column", leak.Column);
        json.WriteNumber("singleFeatureAuc", Math.Round(leak.SingleFeatureAuc, 4));
        json.WriteNumber("othersAuc", Math.Round(leak.OthersAuc, 4));
    }

    private static void WriteText(TrainingOutcome.Trained trained, FileInfo outFile, TextWriter output)
    {
        var m = trained.Model.Manifest.Metrics;
        string Candidate(KeyValuePair<string, double> c) =>
            $"{c.Key} {F(c.Value)}{(trained.StoppedEarly.Contains(c.Key) ? " on the first 2 folds, then stopped" : "")}";
        output.WriteLine($"trainer      {m.Trainer} (out-of-fold AUC: {string.Join(", ", trained.CandidateAucs.Select(Candidate))})");
        output.WriteLine($"rows         {m.Rows} labelled, {m.Positives} positive ({F(100.0 * m.Positives / m.Rows, "0.0")}%)");
        output.WriteLine($"validation   {m.Validation}");
        output.WriteLine("held-out, calibrated (each fold calibrated on the other folds):");
        output.WriteLine($"  ROC-AUC    {F(m.Auc)}");
        output.WriteLine($"  PR-AUC     {F(m.PrAuc)}");
        output.WriteLine($"  log loss   {F(m.LogLoss, "0.0000")}");
        output.WriteLine($"  Brier      {F(m.Brier, "0.0000")}");
        output.WriteLine($"  ECE        {F(m.Ece, "0.0000")} (10 equal-width bins)");
        output.WriteLine($"  lift top10 {F(m.LiftTop10, "0.00")}");
        output.WriteLine($"  calibration by decile of predicted probability (largest gap {F(100 * m.LargestCalibrationGap, "0.0")} points):");
        output.WriteLine("    decile   rows  predicted  observed    gap");
        foreach (var d in m.Calibration)
        {
            output.WriteLine($"    {d.Decile,6} {d.Rows,6} {F(100 * d.MeanPredicted, "0.0"),9}% {F(100 * d.ObservedRate, "0.0"),8}% {F(100 * d.Gap, "+0.0;-0.0;0.0"),6}");
        }

        if (m.ShuffledAuc is { } shuffled)
        {
            output.WriteLine($"  shuffled   ROC-AUC {F(shuffled)} on stratified folds of the same rows (secondary: it lets the model see the future)");
        }

        output.WriteLine("baselines on the same validated rows:");
        output.WriteLine("               ROC-AUC  log loss   Brier  lift top10");
        output.WriteLine($"  model      {F(m.Auc),9} {F(m.LogLoss, "0.0000"),9} {F(m.Brier, "0.0000"),7} {F(m.LiftTop10, "0.00"),11}");
        foreach (var b in m.Baselines)
        {
            var name = b.Name == BaselineMetrics.NaiveBayesName ? "naive Bayes" : b.Name;
            output.WriteLine($"  {name,-10} {F(b.Auc),9} {F(b.LogLoss, "0.0000"),9} {F(b.Brier, "0.0000"),7} {F(b.LiftTop10, "0.00"),11}");
        }

        output.WriteLine("  (naive Bayes: Odoo CRM's frequency naive Bayes; rules' points: " + NoRules + ")");
        var leakage = trained.Model.Manifest.Leakage;
        output.WriteLine(leakage.Tested switch
        {
            null => "leakage      no column alone ranks the outcome better than the others' best column",
            { Leaks: false } c => $"leakage      none: the strongest column, {c.Column}, alone {F(c.SingleFeatureAuc)}, all the others together {F(c.OthersAuc)}",
            var c => $"leakage      {c.Column} alone {F(c.SingleFeatureAuc)}, all the others together {F(c.OthersAuc)}: "
                + (leakage.LeftOut ? "LEFT OUT (--exclude-leaky)" : "LEAKY, kept (--exclude-leaky leaves it out)"),
        });
        var t = trained.Model.Manifest.Tiers;
        output.WriteLine($"tiers        medium from {F(100 * t.Medium, "0.0")}%, high from {F(100 * t.High, "0.0")}%, very high from {F(100 * t.VeryHigh, "0.0")}%");
        output.WriteLine($"seconds      {F(m.Seconds, "0.0")}");
        output.WriteLine($"model        {outFile.FullName}");
    }
}
