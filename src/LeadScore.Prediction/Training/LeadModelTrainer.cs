using System.Diagnostics;
using System.Globalization;
using LeadScore.Engine.Review;
using LeadScore.Prediction.Calibration;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Evaluation;
using LeadScore.Prediction.Features;
using LeadScore.Prediction.Models;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Validation;
using Microsoft.ML;

namespace LeadScore.Prediction.Training;

/// <summary>
/// Learns the probability to convert from any CSV: infers the columns, cross-validates LightGBM,
/// FastTree and a logistic regression with stratified folds (or forward chaining over time blocks when
/// <see cref="TrainingOptions.TimeColumn"/> is set), keeps the trainer with the best
/// out-of-fold ROC-AUC, calibrates it on its out-of-fold scores, then trains it on every labelled row.
/// The reported metrics are computed on held-out calibrated probabilities (see <see cref="CrossFittedCalibration"/>).
/// </summary>
public static class LeadModelTrainer
{
    public const int MinimumLabelledRows = 100;
    public const int MinimumPerClass = 20;
    public const int MaximumFolds = 20;

    public static TrainingOutcome Train(CsvTable table, TrainingOptions options)
    {
        var clock = Stopwatch.StartNew();
        if (TableColumns.Unknown(table, [("--label", options.Label), .. options.Exclude.Select(e => ("--exclude", (string?)e)), ("--id", options.IdColumn),
                ("--time-column", options.TimeColumn)]) is { } unknown)
        {
            return new TrainingOutcome.Refused(TrainingProblem.UnknownColumn, unknown);
        }

        if (options.Folds < 2 || options.Folds > MaximumFolds)
        {
            return new TrainingOutcome.Refused(TrainingProblem.InvalidOptions, $"--folds must be between 2 and {MaximumFolds}, not {options.Folds}.");
        }

        if (options.TierQuantiles is not [var q1, var q2, var q3] || !(0 < q1 && q1 < q2 && q2 < q3 && q3 < 1))
        {
            return new TrainingOutcome.Refused(TrainingProblem.InvalidOptions,
                $"--tiers needs three increasing values between 0 and 1 (exclusive), like 0.25,0.5,0.75, not {string.Join(",", options.TierQuantiles.Select(q => q.ToString(CultureInfo.InvariantCulture)))}.");
        }

        if (options.TimeColumn is not null && table.IndexOf(options.TimeColumn) == table.IndexOf(options.Label))
        {
            return new TrainingOutcome.Refused(TrainingProblem.InvalidOptions, "--time-column cannot be the label.");
        }

        var labelIndex = table.IndexOf(options.Label);
        var columns = TableColumns.Describe(table,
            [(ColumnRole.Label, options.Label), (ColumnRole.Id, options.IdColumn), (ColumnRole.Time, options.TimeColumn),
                .. options.Exclude.Select(e => (ColumnRole.Excluded, (string?)e))]);
        var labelled = new List<int>();
        var labels = new List<bool>();
        for (var i = 0; i < table.Rows.Count; i++)
        {
            if (table.Rows[i][labelIndex] is { } value)
            {
                labelled.Add(i);
                labels.Add(options.PositiveValues.Contains(value, StringComparer.OrdinalIgnoreCase));
            }
        }

        var positives = labels.Count(l => l);
        if (TooLittleData(labels.Count, positives, options) is { } tooLittle)
        {
            return tooLittle;
        }

        var encoder = new FeatureEncoder(columns);
        if (encoder.Length == 0)
        {
            return new TrainingOutcome.Refused(TrainingProblem.NoFeatures, TableColumns.NoFeatures);
        }

        var encoded = Encode(encoder, table, labelled, labels);
        var plan = PlanFor(table, labelled, labels, options, out var planRefusal);
        if (plan is null)
        {
            return new TrainingOutcome.Refused(TrainingProblem.CannotValidate, planRefusal!);
        }

        var leakage = CheckLeakage(table, labelled, labels, columns, plan, options);
        CandidateResult? alreadyRun = null;
        if (leakage.Report.LeftOut)
        {
            (columns, encoder, encoded, alreadyRun) = leakage.Without!.Value;
        }

        var results = CrossValidation.Run(Candidate.All(options.Seed), encoded, plan, options.Seed, alreadyRun);
        var aucs = results.ToDictionary(r => r.Candidate.Name, r => r.Auc);
        var kept = results.Where(r => r.Completed).OrderByDescending(r => r.Auc).First();
        var best = kept.Candidate;

        var validated = plan.ValidatedRows();
        var validatedLabels = validated.Select(i => labels[i]).ToArray();
        var validatedScores = validated.Select(i => kept.Scores[i]).ToArray();
        var calibrator = IsotonicCalibrator.Fit(validatedScores, validatedLabels);
        var probabilities = validatedScores.Select(calibrator.Calibrate).ToArray();
        var tiers = TierCutPoints.AtQuantiles(probabilities, q1, q2, q3);
        // With one predicted time block there is nothing else to calibrate it on: the figures then say they are in-sample.
        var heldOut = CrossFittedCalibration.HeldOut(kept.Scores, labels, plan);
        var heldOutProbabilities = heldOut is null ? probabilities : validated.Select(i => heldOut[i]).ToArray();
        var validation = heldOut is null ? $"{plan.Description} (one predicted block: calibration judged in-sample)" : plan.Description;

        var baselines = Baselines(table, labelled, labels, columns, plan, options);
        // The headline is judged forward in time when it can be; shuffled folds are only a secondary figure then.
        double? shuffledAuc = options.TimeColumn is null ? null
            : CrossValidation.Run([best], encoded, ValidationPlan.Stratified(labels, options.Folds, options.Seed), options.Seed)[0].Auc;

        var ml = new MLContext(options.Seed);
        var all = ml.Data.Cache(encoded.LoadAll(ml));
        var model = best.FitExplained(ml, all);
        var typical = ContributionScorer.TypicalContributions(model, encoded.Load(ml, ContributionScorer.TypicalRows(encoded.Count)), encoder);
        clock.Stop();

        var metrics = new ModelMetrics(
            RocAuc.Of(heldOutProbabilities, validatedLabels),
            BinaryMetrics.AveragePrecision(heldOutProbabilities, validatedLabels),
            BinaryMetrics.LogLoss(heldOutProbabilities, validatedLabels),
            BinaryMetrics.Brier(heldOutProbabilities, validatedLabels),
            BinaryMetrics.ExpectedCalibrationError(heldOutProbabilities, validatedLabels),
            BinaryMetrics.LiftTopDecile(heldOutProbabilities, validatedLabels),
            labels.Count,
            positives,
            best.Name,
            clock.Elapsed.TotalSeconds,
            validation,
            BinaryMetrics.Deciles(heldOutProbabilities, validatedLabels))
        {
            Baselines = baselines,
            ShuffledAuc = shuffledAuc,
        };
        var manifest = new ModelManifest(
            ModelManifest.CurrentFormatVersion, columns, table.Columns[labelIndex], options.PositiveValues,
            options.IdColumn is null ? null : table.Columns[table.IndexOf(options.IdColumn)],
            best.Name, encoder.FeatureNames, calibrator, metrics, tiers)
        {
            Leakage = leakage.Report,
            TypicalContributions = typical,
            TypicalRows = TypicalLead.Rows(table, [.. validated.Select(i => labelled[i])], validatedScores, columns),
        };
        var splitOfRow = new int?[table.Rows.Count];
        for (var s = 0; s < plan.Splits.Count; s++)
        {
            foreach (var i in plan.Splits[s].Test)
            {
                splitOfRow[labelled[i]] = s;
            }
        }

        return new TrainingOutcome.Trained(new LeadModel(ml, model, all.Schema, manifest), aucs,
            results.Where(r => !r.Completed).Select(r => r.Candidate.Name).ToArray(), splitOfRow);
    }

    private static FeatureData.Rows Encode(FeatureEncoder encoder, CsvTable table, IReadOnlyList<int> labelled, IReadOnlyList<bool> labels) =>
        new(TableColumns.Encode(encoder, table, labelled).Select((features, k) => new FeatureRow { Label = labels[k], Features = features }).ToArray(), encoder.Length);

    /// <summary>The features without one column: what the leakage check trains, and what training keeps when that column leaks.</summary>
    private readonly record struct FeatureSet(ColumnSchema[] Columns, FeatureEncoder Encoder, FeatureData.Rows Encoded, CandidateResult LightGbm);

    /// <summary>
    /// Tests the column that alone ranks the outcome best against LightGBM cross-validated on every other
    /// feature over the same plan; the features without it come back so a leaky column can be left out.
    /// </summary>
    private static (LeakageReport Report, FeatureSet? Without) CheckLeakage(
        CsvTable table, IReadOnlyList<int> labelled, IReadOnlyList<bool> labels, ColumnSchema[] columns, ValidationPlan plan, TrainingOptions options)
    {
        var features = columns.Where(c => c.Role == ColumnRole.Feature).ToArray();
        bool IsSuspect(string name) => options.LeakageSuspects is not { } suspects
            || suspects.Any(s => s.EndsWith('*') ? name.StartsWith(s[..^1], StringComparison.OrdinalIgnoreCase) : string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
        if (features.Length < 2 || LeakageCheck.Strongest(table, labelled, labels, features, IsSuspect, plan) is not { } strongest)
        {
            return (LeakageReport.NotChecked, null);
        }

        var withoutColumns = columns.Select(c => c.Name == strongest.Column.Name ? c with { Role = ColumnRole.Excluded } : c).ToArray();
        var withoutEncoder = new FeatureEncoder(withoutColumns);
        var withoutRows = Encode(withoutEncoder, table, labelled, labels);
        var lightGbm = Candidate.All(options.Seed).Single(c => c.Name == Candidate.LightGbmName);
        var others = CrossValidation.Run([lightGbm], withoutRows, plan, options.Seed)[0];
        var without = new FeatureSet(withoutColumns, withoutEncoder, withoutRows, others);
        var tested = new FeatureLeakage(strongest.Column.Name, strongest.Auc, others.Auc);
        return tested.Leaks
            ? (new LeakageReport(tested, [tested], options.ExcludeLeaky), without)
            : (new LeakageReport(tested, [], false), null);
    }

    /// <summary>Odoo's naive Bayes and each existing score asked for, on the plan's validated rows.</summary>
    private static BaselineMetrics[] Baselines(
        CsvTable table, IReadOnlyList<int> labelled, IReadOnlyList<bool> labels, ColumnSchema[] columns, ValidationPlan plan, TrainingOptions options)
    {
        var validated = plan.ValidatedRows();
        var validatedLabels = validated.Select(i => labels[i]).ToArray();
        var naiveBayes = NaiveBayesBaseline.Predict(table, labelled, labels, columns.Where(c => c.Role == ColumnRole.Feature).ToArray(), plan);
        var baselines = new List<BaselineMetrics>
        {
            BaselineMetrics.Of(BaselineMetrics.NaiveBayesName, NaiveBayesBaseline.Method, validated.Select(i => naiveBayes[i]).ToArray(), validatedLabels),
        };
        foreach (var name in options.ScoreBaselines)
        {
            var index = table.IndexOf(name);
            if (index < 0)
            {
                continue;
            }

            // Points are not probabilities: calibrated like the model's scores, so Brier and log loss compare like with like.
            var points = labelled.Select(row => table.Rows[row][index] is { } cell && CellValues.TryNumber(cell, out var value) ? value : 0).ToArray();
            var validatedPoints = validated.Select(i => points[i]).ToArray();
            var calibrated = CrossFittedCalibration.HeldOut(points, labels, plan);
            var probabilities = calibrated is null
                ? validatedPoints.Select(IsotonicCalibrator.Fit(validatedPoints, validatedLabels).Calibrate).ToArray()
                : validated.Select(i => calibrated[i]).ToArray();
            baselines.Add(BaselineMetrics.Of(table.Columns[index], "the existing score's points, calibrated by isotonic regression cross-fitted on the same splits",
                probabilities, validatedLabels));
        }

        return [.. baselines];
    }

    private static ValidationPlan? PlanFor(CsvTable table, List<int> labelled, List<bool> labels, TrainingOptions options, out string? refusal)
    {
        if (options.TimeColumn is null)
        {
            refusal = null;
            return ValidationPlan.Stratified(labels, options.Folds, options.Seed);
        }

        var column = table.IndexOf(options.TimeColumn);
        var times = new DateTimeOffset[labelled.Count];
        var untimed = new List<int>();
        for (var k = 0; k < labelled.Count; k++)
        {
            if (table.Rows[labelled[k]][column] is not { } cell || !CellValues.TryInstant(cell, out times[k]))
            {
                untimed.Add(labelled[k]);
            }
        }

        if (untimed.Count > 0)
        {
            refusal = $"Time-ordered validation needs an ISO date or instant in '{table.Columns[column]}' on every labelled row; "
                + $"{untimed.Count} have none or another format (first: data row {untimed[0] + 1}, '{table.Rows[untimed[0]][column]}').";
            return null;
        }

        return ValidationPlan.TimeOrdered(times, labels, options.Folds, table.Columns[column], out refusal);
    }

    private static TrainingOutcome.Refused? TooLittleData(int labelled, int positives, TrainingOptions options)
    {
        var negatives = labelled - positives;
        var needs = new List<string>();
        if (labelled < MinimumLabelledRows)
        {
            needs.Add($"{MinimumLabelledRows - labelled} more labelled rows (have {labelled}, need at least {MinimumLabelledRows})");
        }

        if (positives < MinimumPerClass)
        {
            needs.Add($"{MinimumPerClass - positives} more positive rows (have {positives}, need at least {MinimumPerClass})");
        }

        if (negatives < MinimumPerClass)
        {
            needs.Add($"{MinimumPerClass - negatives} more negative rows (have {negatives}, need at least {MinimumPerClass})");
        }

        return needs.Count == 0 ? null : new TrainingOutcome.Refused(TrainingProblem.TooLittleData,
            $"Too little data to train a model on '{options.Label}' (positive: {string.Join("/", options.PositiveValues)}): needs {string.Join("; ", needs)}.");
    }
}
