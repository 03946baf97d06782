using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Evaluation;
using LeadScore.Prediction.Models;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Snapshots;
using LeadScore.Prediction.Training;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Predictive;

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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public async Task<PredictiveRun> TrainAsync(WorkspaceId workspace, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var settings = PredictiveSettings.Read(await store.GetPredictiveSettingsAsync(workspace, cancellationToken).ConfigureAwait(false));
        var now = time.GetUtcNow();
        var table = await ReadSnapshotsAsync(workspace, settings.Snapshots(), now, cancellationToken).ConfigureAwait(false);
        if (table.TrainingRows == 0)
        {
            var earliest = table.EarliestSeen is { } seen ? $"the earliest activity is {seen:yyyy-MM-dd}" : "the workspace has no contacts yet";
            return new PredictiveRun.Refused(
                $"No contact can be a training example: the newest snapshot is {table.Cutoffs[^1]:yyyy-MM-dd} (now minus the {settings.HorizonDays}-day horizon), "
                + $"and {earliest}. Record more history, or shorten horizonDays in the predictive settings.");
        }

        var training = table.Training();
        var conversions = await store.CountConversionsAsync(workspace, cancellationToken).ConfigureAwait(false);
        var outcome = LeadModelTrainer.Train(training, new TrainingOptions(SnapshotTable.LabelColumn)
        {
            IdColumn = SnapshotTable.IdColumn,
            PositiveValues = ["1"],
            Exclude = [SnapshotTable.TimeColumn],
        });
        if (outcome is not TrainingOutcome.Trained trained)
        {
            return new PredictiveRun.Refused(((TrainingOutcome.Refused)outcome).Message);
        }

        clock.Stop();
        var report = new PredictiveReport(
            trained.Model.Manifest.Metrics,
            trained.CandidateAucs,
            settings,
            [.. table.Cutoffs],
            table.TrainingRows,
            table.Positives,
            trained.Model.Manifest.FeatureNames.Count,
            table.OpenLeads,
            SuspectedLeaks(training),
            clock.Elapsed.TotalSeconds);
        using var zip = new MemoryStream();
        trained.Model.Save(zip);
        var info = await store.SavePredictiveModelAsync(workspace,
            new PredictiveModelInput(now, conversions, JsonSerializer.Serialize(report, Json), zip.ToArray(), null, null), cancellationToken).ConfigureAwait(false);
        var written = await WritePredictionsAsync(workspace, info.Version, trained.Model, table.Current(), cancellationToken).ConfigureAwait(false);
        return new PredictiveRun.Trained(info, report, written);
    }

    /// <summary>Predicts every open contact again with the newest model version; null when none was trained yet.</summary>
    public async Task<PredictionWrite?> RefreshAsync(WorkspaceId workspace, CancellationToken cancellationToken)
    {
        if (await store.GetPredictiveModelAsync(workspace, null, cancellationToken).ConfigureAwait(false) is not { } files)
        {
            return null;
        }

        var settings = ReadReport(files.Info).Settings;
        var model = Load(files.ConversionModel, files.Info.Version);
        var table = await ReadSnapshotsAsync(workspace, settings.Snapshots() with { MaxSnapshots = 0 }, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return await WritePredictionsAsync(workspace, files.Info.Version, model, table.Current(), cancellationToken).ConfigureAwait(false);
    }

    public static PredictiveReport ReadReport(PredictiveModelInfo info) =>
        JsonSerializer.Deserialize<PredictiveReport>(info.Report, Json) ?? throw new InvalidDataException($"Predictive model {info.Version} has no report.");

    private static LeadModel Load(ReadOnlyMemory<byte> zip, int version)
    {
        using var stream = new MemoryStream(zip.ToArray());
        var loaded = LeadModel.Load(stream, $"predictive model {version}");
        return loaded.Model ?? throw new InvalidDataException(loaded.Error);
    }

    private async Task<SnapshotTable> ReadSnapshotsAsync(WorkspaceId workspace, SnapshotOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = new SnapshotTable(options, await RuleModelsAsync(workspace, cancellationToken).ConfigureAwait(false), now);
        await foreach (var contact in store.ReadContactActivityAsync(workspace, cancellationToken).ConfigureAwait(false))
        {
            table.Add(new LeadHistory(contact.Id, contact.Fields, contact.StoredAt, contact.Events, contact.ConvertedAt, (double?)contact.WonAmount));
        }

        return table;
    }

    // The published contact models' scores are features too, replayed as of each snapshot.
    private async Task<IReadOnlyList<CompiledModel>> RuleModelsAsync(WorkspaceId workspace, CancellationToken cancellationToken)
    {
        var versions = await store.GetModelVersionsAsync(workspace, null, cancellationToken).ConfigureAwait(false);
        return [.. versions.Where(v => v.Status == ModelStatus.Published && v.Target == RecordKind.Contact)
            .Select(v => ScoringModelJson.Parse(v.Definition).Model)
            .OfType<Engine.Model.ScoringModel>()
            .Select(CompiledModel.Compile)];
    }

    private async Task<PredictionWrite> WritePredictionsAsync(WorkspaceId workspace, int version, LeadModel model, CsvTable current, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var predictions = model.Predict(current).Select(p => new ContactPrediction(
            p.Id, version, p.Probability, TierCutPoints.Name(p.Tier), [.. p.Raising.Concat(p.Lowering).Select(Describe)], null, null, null, at)).ToList();
        return await store.ReplacePredictionsAsync(workspace, predictions, cancellationToken).ConfigureAwait(false);
    }

    private static PredictionFactor Describe(Factor factor) =>
        new(FeatureNames.Describe(factor.Column, factor.Value == TypeInference.MissingLevel ? null : factor.Value), Math.Round(factor.Contribution, 4));

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

            var auc = BinaryMetrics.Auc(scores, labels);
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
    int TrainingRows,
    int Positives,
    int Features,
    int OpenLeads,
    IReadOnlyList<string> Warnings,
    double Seconds);

/// <summary>A training's result: the saved version and what it predicted, or why nothing was trained.</summary>
public abstract record PredictiveRun
{
    private PredictiveRun()
    {
    }

    public sealed record Trained(PredictiveModelInfo Model, PredictiveReport Report, PredictionWrite Predictions) : PredictiveRun;

    public sealed record Refused(string Message) : PredictiveRun;
}
