using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Review;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Evaluation;
using LeadScore.Prediction.Models;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Snapshots;
using LeadScore.Prediction.Training;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Predictive;

/// <summary>
/// Trains a workspace's predictive model from the store (as-of snapshots of every contact, labelled
/// by what happened within the horizon after each), saves it as the next version with its report,
/// and predicts every open contact with it. Also refreshes the predictions with the newest version.
/// Used by the API, the schedule and the CLI alike.
/// </summary>
public sealed class PredictiveTrainer(ILeadStore store, TimeProvider time)
{
    /// <summary>A single feature that separates converters this well is more likely a record of the outcome than a cause of it.</summary>
    public const double LeakAuc = 0.97;

    /// <summary>
    /// No lead is shown as certain to convert or not: a calibrated 0 or 1 only says no training lead
    /// in that range went the other way, so probabilities are kept between 1% and 99%.
    /// </summary>
    public const double MinimumProbability = 0.01;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public async Task<PredictiveRun> TrainAsync(WorkspaceId workspace, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var settings = PredictiveSettings.Read(await store.Predictive.GetPredictiveSettingsAsync(workspace, cancellationToken).ConfigureAwait(false));
        var now = time.GetUtcNow();
        var options = settings.Snapshots();
        var rules = await RuleModelsAsync(workspace, cancellationToken).ConfigureAwait(false);
        var contacts = await store.Records.CountContactsAsync(workspace, cancellationToken).ConfigureAwait(false);
        var table = new SnapshotTable(options, rules, now);
        var sampled = 0;
        var changedAfter = new FieldsChangedAfterConversion();
        await foreach (var contact in store.Events.ReadContactActivityAsync(workspace, cancellationToken).ConfigureAwait(false))
        {
            if (options.Samples(contact.Id, contacts))
            {
                table.AddTraining(History(contact));
                changedAfter.Add(contact);
                sampled++;
            }
        }

        if (table.TrainingRows == 0)
        {
            var earliest = table.EarliestSeen is { } seen ? $"the earliest activity is {seen:yyyy-MM-dd}" : "the workspace has no contacts yet";
            return new PredictiveRun.Refused(
                $"No contact can be a training example: the newest snapshot is {table.Cutoffs[^1]:yyyy-MM-dd} (now minus the {settings.HorizonDays}-day horizon), "
                + $"and {earliest}. Record more history, or shorten horizonDays in the predictive settings.");
        }

        var training = table.Training();
        var changedFields = changedAfter.Flagged();
        var conversions = await store.Outcomes.CountConversionsAsync(workspace, cancellationToken).ConfigureAwait(false);
        // Time-ordered: each block of snapshots is validated by a model trained on the older ones only.
        var outcome = LeadModelTrainer.Train(training, new TrainingOptions(SnapshotTable.LabelColumn)
        {
            IdColumn = SnapshotTable.IdColumn,
            TimeColumn = SnapshotTable.TimeColumn,
            PositiveValues = ["1"],
            Folds = Math.Min(table.Cutoffs.Count, 5),
            TierQuantiles = settings.Tiers,
            // Fields are kept as they are now, so only they can record the outcome; event counts are as of each snapshot.
            ExcludeLeaky = true,
            Exclude = [.. ChangedFieldColumns(changedFields).Where(c => training.IndexOf(c) >= 0)],
            LeakageSuspects = [FeatureNames.FieldPrefix + "*", FeatureNames.FieldAgePrefix + "*"],
            ScoreBaselines = [.. training.Columns.Where(c => c.StartsWith(FeatureNames.ScorePrefix, StringComparison.Ordinal))],
        });
        if (outcome is not TrainingOutcome.Trained trained)
        {
            return new PredictiveRun.Refused(((TrainingOutcome.Refused)outcome).Message);
        }

        var amount = TrainNumber(table.Amounts(), SnapshotTable.AmountColumn);
        var days = TrainNumber(table.DaysToConvert(), SnapshotTable.DaysColumn);
        clock.Stop();
        var report = new PredictiveReport(
            trained.Model.Manifest.Metrics,
            trained.CandidateAucs,
            settings,
            [.. table.Cutoffs],
            sampled,
            table.TrainingRows,
            table.Positives,
            trained.Model.Manifest.FeatureNames.Count,
            SuspectedLeaks(training),
            clock.Elapsed.TotalSeconds)
        {
            AmountModel = amount.Summary,
            DaysModel = days.Summary,
            Leakage = trained.Model.Manifest.Leakage,
            LeakageChecks = LeakageChecks,
            ChangedAfterConversion = changedFields,
        };
        var info = await store.Predictive.SavePredictiveModelAsync(workspace, new PredictiveModelInput(
            now, conversions, JsonSerializer.Serialize(report, Json), Zip(trained.Model.Save), amount.Model is { } a ? Zip(a.Save) : null,
            days.Model is { } d ? Zip(d.Save) : null), cancellationToken).ConfigureAwait(false);
        var models = new PredictiveModels(info.Version, trained.Model, amount.Model, days.Model);
        var written = await PredictAllAsync(workspace, models, options, rules, cancellationToken).ConfigureAwait(false);
        return new PredictiveRun.Trained(info, report, written);
    }

    private static byte[] Zip(Action<Stream> save)
    {
        using var zip = new MemoryStream();
        save(zip);
        return zip.ToArray();
    }

    /// <summary>A deal model (won amount, days to convert) from the converted snapshot rows, or why there is none.</summary>
    private static (NumberModel? Model, NumberModelSummary Summary) TrainNumber(CsvTable rows, string target)
    {
        var outcome = NumberModelTrainer.Train(rows, new NumberTrainingOptions(target) { IdColumn = SnapshotTable.IdColumn, Exclude = [SnapshotTable.TimeColumn] });
        return outcome switch
        {
            NumberTrainingOutcome.Trained trained => (trained.Model, new NumberModelSummary(trained.Model.Manifest.Trainer, trained.Model.Manifest.Metrics, null)),
            NumberTrainingOutcome.Refused refused => (null, new NumberModelSummary(null, null, refused.Message)),
            _ => throw new InvalidOperationException("Unknown number training result."),
        };
    }

    /// <summary>Predicts every open contact again with the newest model version; null when none was trained yet.</summary>
    public async Task<PredictionWrite?> RefreshAsync(WorkspaceId workspace, CancellationToken cancellationToken)
    {
        if (await store.Predictive.GetPredictiveModelAsync(workspace, null, cancellationToken).ConfigureAwait(false) is not { } files)
        {
            return null;
        }

        var settings = ReadReport(files.Info).Settings;
        var models = new PredictiveModels(
            files.Info.Version,
            Load(files.ConversionModel, files.Info.Version),
            files.AmountModel is { } amount ? LoadNumber(amount, files.Info.Version) : null,
            files.DaysModel is { } days ? LoadNumber(days, files.Info.Version) : null);
        var rules = await RuleModelsAsync(workspace, cancellationToken).ConfigureAwait(false);
        return await PredictAllAsync(workspace, models, settings.Snapshots(), rules, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A version's models: the conversion model, and the deal models when there were enough won deals.</summary>
    private sealed record PredictiveModels(int Version, LeadModel Conversion, NumberModel? Amount, NumberModel? Days);

    private static NumberModel LoadNumber(ReadOnlyMemory<byte> zip, int version)
    {
        using var stream = new MemoryStream(zip.ToArray());
        var loaded = NumberModel.Load(stream, $"predictive deal model {version}");
        return loaded.Model ?? throw new InvalidDataException(loaded.Error);
    }

    public static PredictiveReport ReadReport(PredictiveModelInfo info) =>
        JsonSerializer.Deserialize<PredictiveReport>(info.Report, Json) ?? throw new InvalidDataException($"Predictive model {info.Version} has no report.");

    private static LeadModel Load(ReadOnlyMemory<byte> zip, int version)
    {
        using var stream = new MemoryStream(zip.ToArray());
        var loaded = LeadModel.Load(stream, $"predictive model {version}");
        return loaded.Model ?? throw new InvalidDataException(loaded.Error);
    }

    private static LeadHistory History(ContactActivity contact) =>
        new(contact.Id, contact.Fields, contact.StoredAt, contact.Events, contact.ConvertedAt, (double?)contact.WonAmount);

    /// <summary>
    /// Predicts every open contact as of now, a chunk at a time so a large workspace never holds all
    /// its feature rows at once, and replaces the workspace's predictions with them.
    /// </summary>
    private async Task<PredictionWrite> PredictAllAsync(
        WorkspaceId workspace, PredictiveModels models, SnapshotOptions options, IReadOnlyList<CompiledModel> rules, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var columns = models.Conversion.Manifest.Columns.Where(c => c.Role == ColumnRole.Feature).Select(c => c.Name);
        var table = new SnapshotTable(options, rules, now, columns);
        var predictions = new List<ContactPrediction>();
        await foreach (var contact in store.Events.ReadContactActivityAsync(workspace, cancellationToken).ConfigureAwait(false))
        {
            table.AddCurrent(History(contact));
            if (table.OpenLeads >= PredictionChunk)
            {
                predictions.AddRange(Predict(models, table.TakeCurrent(), now));
            }
        }

        predictions.AddRange(Predict(models, table.TakeCurrent(), now));
        return await store.Predictive.ReplacePredictionsAsync(workspace, predictions, cancellationToken).ConfigureAwait(false);
    }

    private const int PredictionChunk = 5_000;

    // The published contact models' scores are features too, replayed as of each snapshot.
    private async Task<IReadOnlyList<CompiledModel>> RuleModelsAsync(WorkspaceId workspace, CancellationToken cancellationToken)
    {
        var versions = await store.Models.GetModelVersionsAsync(workspace, null, cancellationToken).ConfigureAwait(false);
        return [.. versions.Where(v => v.Status == ModelStatus.Published && v.Target == RecordKind.Contact)
            .Select(v => ScoringModelJson.Parse(v.Definition).Model)
            .OfType<Engine.Model.ScoringModel>()
            .Select(CompiledModel.Compile)];
    }

    private static IEnumerable<ContactPrediction> Predict(PredictiveModels models, CsvTable current, DateTimeOffset at)
    {
        if (current.Rows.Count == 0)
        {
            return [];
        }

        // A won amount or a number of days is never below zero, whatever a regression extrapolates.
        var amounts = models.Amount?.Predict(current).ToDictionary(p => p.Id, p => Math.Max(0, p.Value), StringComparer.Ordinal);
        var days = models.Days?.Predict(current).ToDictionary(p => p.Id, p => Math.Max(0, p.Value), StringComparer.Ordinal);
        return models.Conversion.Predict(current).Select(p =>
        {
            var probability = Math.Clamp(p.Probability, MinimumProbability, 1 - MinimumProbability);
            // The tier of the probability as shown: a lead shown at 1% is never in another tier than another shown at 1%.
            var tiers = models.Conversion.Manifest.Tiers;
            var tier = tiers.TierOf(probability);
            double? amount = amounts is null ? null : amounts[p.Id];
            return new ContactPrediction(
                p.Id, models.Version, probability, tier, [.. p.Raising.Concat(p.Lowering).Select(Describe)],
                amount, days is null ? null : days[p.Id], amount * probability, at)
            {
                TierMeaning = tiers.Meaning(tier),
            };
        }).ToList();
    }

    /// <summary>
    /// A reason in the field's own words, weighed by its effect on the probability compared with the typical
    /// lead (so the weight's sign is the reason's direction, as before sizes were kept), and that effect in points.
    /// </summary>
    private static PredictionFactor Describe(Factor factor) =>
        new(FeatureNames.Describe(factor.Column, factor.Value == TypeInference.MissingLevel ? null : factor.Value), Math.Round(factor.Effect, 4))
        {
            Points = Math.Round(factor.Points, 1, MidpointRounding.AwayFromZero),
        };

    /// <summary>What the leakage check could look at in the store, said in the report so nobody assumes more.</summary>
    public static readonly string LeakageChecks =
        "A field that alone ranks conversions better than all the other features together is left out. "
        + "The store also keeps when each field last changed after the contact was created (through the API, an import, the CRM, an automation's action or a visitor's confirmed traits): "
        + string.Create(CultureInfo.InvariantCulture, $"a field changed at or after the conversion for at least {FieldsChangedAfterConversion.Share * 100:0}% of the converters that have it ")
        + string.Create(CultureInfo.InvariantCulture, $"(and at least {FieldsChangedAfterConversion.Minimum} of them) is left out, since the store holds its value as it is now.");

    /// <summary>The feature columns a field becomes in the snapshots: its value and, for a date, its age.</summary>
    private static IEnumerable<string> ChangedFieldColumns(IEnumerable<FieldChangedAfterConversion> fields) =>
        fields.SelectMany(f => new[] { FeatureNames.FieldPrefix + f.Field, FeatureNames.FieldAgePrefix + f.Field });

    /// <summary>Numeric features that alone rank converters almost perfectly: likely filled in after the sale.</summary>
    private static ImmutableArray<string> SuspectedLeaks(CsvTable training)
    {
        var label = training.IndexOf(SnapshotTable.LabelColumn);
        var warnings = ImmutableArray.CreateBuilder<string>();
        for (var column = 0; column < training.Columns.Count; column++)
        {
            var name = training.Columns[column];
            if (name is SnapshotTable.IdColumn or SnapshotTable.TimeColumn or SnapshotTable.LabelColumn)
            {
                continue;
            }

            var scores = new List<double>();
            var labels = new List<bool>();
            foreach (var row in training.Rows)
            {
                if (row[column] is { } cell && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    scores.Add(value);
                    labels.Add(row[label] == "1");
                }
            }

            if (scores.Count < training.Rows.Count / 2 || labels.All(l => l) || !labels.Any(l => l))
            {
                continue;
            }

            var auc = RocAuc.Of(scores, labels);
            if (Math.Max(auc, 1 - auc) >= LeakAuc)
            {
                warnings.Add($"'{name}' alone separates converters from the rest (AUC {Math.Max(auc, 1 - auc):0.000}): it may be filled in after the sale. "
                    + "If so, add it to excludeFields in the predictive settings and train again.");
            }
        }

        return warnings.ToImmutable();
    }
}

/// <summary>What a training produced, kept with the version: metrics, the settings used, the snapshots, warnings.</summary>
public sealed record PredictiveReport(
    ModelMetrics Metrics,
    IReadOnlyDictionary<string, double> CandidateAucs,
    PredictiveSettings Settings,
    IReadOnlyList<DateTimeOffset> Snapshots,
    int ContactsSampled,
    int TrainingRows,
    int Positives,
    int Features,
    IReadOnlyList<string> Warnings,
    double Seconds)
{
    /// <summary>The won-amount model of the version, or why it has none (too few won deals with an amount).</summary>
    public NumberModelSummary? AmountModel { get; init; }

    /// <summary>The days-to-convert model of the version, or why it has none.</summary>
    public NumberModelSummary? DaysModel { get; init; }

    /// <summary>The field the leakage check tested, the ones it flagged and left out (versions before the check have none).</summary>
    public LeakageReport? Leakage { get; init; }

    /// <summary>What the leakage check looked at, in words.</summary>
    public string? LeakageChecks { get; init; }

    /// <summary>The fields left out because their value changed at or after the conversion (versions before the check have none).</summary>
    public ImmutableArray<FieldChangedAfterConversion> ChangedAfterConversion { get; init; } = [];
}

/// <summary>A deal model as the report shows it: the kept trainer (LightGbm or Mean) and its cross-validated metrics, or why it was not trained.</summary>
public sealed record NumberModelSummary(string? Trainer, NumberModelMetrics? Metrics, string? Refused);

/// <summary>A training's result: the saved version and what it predicted, or why nothing was trained.</summary>
public abstract record PredictiveRun
{
    private PredictiveRun()
    {
    }

    public sealed record Trained(PredictiveModelInfo Model, PredictiveReport Report, PredictionWrite Predictions) : PredictiveRun;

    public sealed record Refused(string Message) : PredictiveRun;
}
