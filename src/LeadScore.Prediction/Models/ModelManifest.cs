using LeadScore.Prediction.Calibration;
using LeadScore.Prediction.Evaluation;
using LeadScore.Prediction.Schema;

namespace LeadScore.Prediction.Models;

/// <summary>
/// Everything besides the ML.NET model that prediction needs and a person may want to read: the columns
/// with their kinds, levels and imputation values, the label, the trainer, the calibrator, the
/// cross-validated metrics, the tier cut points and the leakage check. Stored as manifest.json in the model zip.
/// </summary>
public sealed record ModelManifest(
    int FormatVersion,
    IReadOnlyList<ColumnSchema> Columns,
    string Label,
    IReadOnlyList<string> PositiveValues,
    string? IdColumn,
    string Trainer,
    IReadOnlyList<string> FeatureNames,
    IsotonicCalibrator Calibrator,
    ModelMetrics Metrics,
    TierCutPoints Tiers)
{
    // 2: metrics gained the validation and the held-out calibration table.
    public const int CurrentFormatVersion = 2;

    /// <summary>What the leakage check tested and flagged, and whether the flagged columns were left out.</summary>
    public LeakageReport Leakage { get; init; } = LeakageReport.NotChecked;

    /// <summary>
    /// Each feature column's mean contribution to the raw score over the training rows: the typical lead's,
    /// on which each prediction's reasons are centred. Absent from models saved before (every column then
    /// reads as zero, the contributions as ML.NET gives them), so those files still load.
    /// </summary>
    public IReadOnlyDictionary<string, double> TypicalContributions { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// The typical lead as a few real training leads' feature cells (<see cref="TypicalLead"/>), against
    /// which each reason is measured exactly. Absent from models saved before: their reasons keep the
    /// centred estimate.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string?>>? TypicalRows { get; init; }
}
