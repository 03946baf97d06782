using System.Diagnostics;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Evaluation;
using LeadScore.Prediction.Features;
using LeadScore.Prediction.Models;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Validation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadScore.Prediction.Training;

/// <summary>
/// Learns a number (a deal's won amount, its days to close) from a table: infers the columns as the lead
/// trainer does, cross-validates a LightGBM regression against the mean baseline on shuffled k folds,
/// keeps the one with the lower out-of-fold RMSE, then fits it on every row with a number.
/// </summary>
public static class NumberModelTrainer
{
    public const int MinimumRows = 30;

    public static NumberTrainingOutcome Train(CsvTable table, NumberTrainingOptions options)
    {
        var clock = Stopwatch.StartNew();
        if (TableColumns.Unknown(table, [("target", options.Target), .. options.Exclude.Select(e => ("exclude", (string?)e)), ("id", options.IdColumn)]) is { } unknown)
        {
            return new NumberTrainingOutcome.Refused(TrainingProblem.UnknownColumn, unknown);
        }

        if (options.Folds < 2 || options.Folds > LeadModelTrainer.MaximumFolds)
        {
            return new NumberTrainingOutcome.Refused(TrainingProblem.InvalidOptions, $"folds must be between 2 and {LeadModelTrainer.MaximumFolds}, not {options.Folds}.");
        }

        var targetIndex = table.IndexOf(options.Target);
        var labelled = new List<int>();
        var targets = new List<double>();
        for (var i = 0; i < table.Rows.Count; i++)
        {
            if (table.Rows[i][targetIndex] is { } cell && CellValues.TryNumber(cell, out var value))
            {
                labelled.Add(i);
                targets.Add(value);
            }
        }

        if (labelled.Count < MinimumRows)
        {
            return new NumberTrainingOutcome.Refused(TrainingProblem.TooLittleData,
                $"Too little data to learn '{table.Columns[targetIndex]}': needs {MinimumRows - labelled.Count} more rows with a number in it "
                + $"(have {labelled.Count}, need at least {MinimumRows}).");
        }

        var columns = TableColumns.Describe(table,
            [(ColumnRole.Label, options.Target), (ColumnRole.Id, options.IdColumn), .. options.Exclude.Select(e => (ColumnRole.Excluded, (string?)e))]);
        var encoder = new FeatureEncoder(columns);
        if (encoder.Length == 0)
        {
            return new NumberTrainingOutcome.Refused(TrainingProblem.NoFeatures, TableColumns.NoFeatures);
        }

        var rows = TableColumns.Encode(encoder, table, labelled)
            .Select((features, k) => new NumberRow { Label = (float)targets[k], Features = features }).ToArray();
        var plan = ValidationPlan.KFold(rows.Length, options.Folds, options.Seed);
        var candidate = Candidate.LightGbmRegression(options.Seed, rows.Length);
        var boosted = new double[rows.Length];
        var baseline = new double[rows.Length];
        Parallel.For(0, plan.Splits.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var split = plan.Splits[k];
            var ml = new MLContext(options.Seed + k);
            var train = ml.Data.Cache(FeatureData.Load(ml, split.Train.Select(i => rows[i]), encoder.Length));
            var test = FeatureData.Load(ml, split.Test.Select(i => rows[i]), encoder.Length);
            var predicted = candidate.Fit(ml, train).Transform(test).GetColumn<float>("Score").ToArray();
            var mean = split.Train.Average(i => targets[i]);
            for (var j = 0; j < split.Test.Length; j++)
            {
                boosted[split.Test[j]] = predicted[j];
                baseline[split.Test[j]] = mean;
            }
        });

        var lightGbm = NumberScore.Of(Candidate.LightGbmName, boosted, targets);
        var meanBaseline = NumberScore.Of(NumberModel.MeanBaselineName, baseline, targets);
        var kept = lightGbm.Rmse < meanBaseline.Rmse ? lightGbm : meanBaseline;

        var context = new MLContext(options.Seed);
        ITransformer? model = null;
        DataViewSchema? schema = null;
        IReadOnlyDictionary<string, double> typical = new Dictionary<string, double>();
        if (kept == lightGbm)
        {
            var all = context.Data.Cache(FeatureData.Load(context, rows, encoder.Length));
            model = candidate.FitExplained(context, all);
            schema = all.Schema;
            typical = ContributionScorer.TypicalContributions(
                model, FeatureData.Load(context, ContributionScorer.TypicalRows(rows.Length).Select(i => rows[i]), encoder.Length), encoder);
        }

        clock.Stop();
        var metrics = new NumberModelMetrics(kept.Mae, kept.Rmse, kept.RSquared, rows.Length, kept.Trainer, clock.Elapsed.TotalSeconds,
            plan.Description, lightGbm, meanBaseline);
        var manifest = new NumberModelManifest(
            NumberModelManifest.CurrentFormatVersion, columns, table.Columns[targetIndex],
            options.IdColumn is null ? null : table.Columns[table.IndexOf(options.IdColumn)],
            kept.Trainer, targets.Average(), encoder.FeatureNames, metrics)
        {
            TypicalContributions = typical,
        };
        return new NumberTrainingOutcome.Trained(new NumberModel(context, model, schema, manifest));
    }
}
