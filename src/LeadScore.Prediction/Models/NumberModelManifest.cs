using LeadScore.Prediction.Evaluation;
using LeadScore.Prediction.Schema;

namespace LeadScore.Prediction.Models;

/// <summary>
/// What a number model needs besides the ML.NET model, and what a person may want to read: the columns,
/// the target, the kept trainer (LightGbm or Mean), the mean of the target over the training rows (the
/// prediction when the mean baseline was kept) and the cross-validated metrics. Stored as manifest.json.
/// </summary>
public sealed record NumberModelManifest(
    int FormatVersion,
    IReadOnlyList<ColumnSchema> Columns,
    string Target,
    string? IdColumn,
    string Trainer,
    double Mean,
    IReadOnlyList<string> FeatureNames,
    NumberModelMetrics Metrics)
{
    public const int CurrentFormatVersion = 1;

    /// <summary>Each feature column's mean contribution over the training rows, as <see cref="ModelManifest.TypicalContributions"/>.</summary>
    public IReadOnlyDictionary<string, double> TypicalContributions { get; init; } = new Dictionary<string, double>();
}
