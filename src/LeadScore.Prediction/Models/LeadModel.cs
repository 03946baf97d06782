using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Features;
using Microsoft.ML;

namespace LeadScore.Prediction.Models;

/// <summary>
/// A trained, calibrated lead model: predicts each row's probability to convert, tier and top factors,
/// and is saved as one zip holding the ML.NET model (model.mlnet) and its manifest (manifest.json).
/// </summary>
public sealed class LeadModel
{
    private const string Writer = "'leadscore train'";

    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly DataViewSchema _inputSchema;
    private readonly ContributionScorer _scorer;

    internal LeadModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, ModelManifest manifest)
    {
        _ml = ml;
        _transformer = transformer;
        _inputSchema = inputSchema;
        _scorer = new ContributionScorer(
            ml, transformer, new FeatureEncoder(manifest.Columns), manifest.IdColumn, manifest.TypicalContributions ?? new Dictionary<string, double>(), manifest.Calibrator.Calibrate,
            manifest.TypicalRows);
        Manifest = manifest;
    }

    public ModelManifest Manifest { get; }

    /// <summary>
    /// A reason must move the probability by at least this much (0.05 points, shown as 0.1 once rounded):
    /// a value whose effect the calibration flattens to nothing is no reason to call or not.
    /// </summary>
    public const double MinimumEffect = 0.0005;

    /// <summary>
    /// Predicts every row of <paramref name="table"/>. Columns are matched by name: extra ones are ignored,
    /// absent ones read as missing, and unseen categorical levels as "other".
    /// </summary>
    public IReadOnlyList<LeadPrediction> Predict(CsvTable table) =>
        _scorer.Score(table).Select(row =>
        {
            var probability = Manifest.Calibrator.Calibrate(row.Score);
            var tier = Manifest.Tiers.TierOf(probability);
            return new LeadPrediction(row.Id, probability, tier, [.. row.Factors.Take(ContributionScorer.FactorsShown)])
            {
                Raising = [.. row.Factors.Where(f => f.Effect >= MinimumEffect).Take(ContributionScorer.FactorsShown)],
                Lowering = [.. row.Factors.Where(f => f.Effect <= -MinimumEffect).Take(ContributionScorer.FactorsShown)],
                TierMeaning = Manifest.Tiers.Meaning(tier),
            };
        }).ToArray();

    public void Save(string path)
    {
        using var file = File.Create(path);
        Save(file);
    }

    public void Save(Stream stream) => ModelZip.Save(stream, Manifest, _ml, _transformer, _inputSchema);

    public static ModelLoadResult Load(string path)
    {
        if (!File.Exists(path))
        {
            return ModelLoadResult.Failed($"model file '{path}' does not exist");
        }

        using var file = File.OpenRead(path);
        return Load(file, Path.GetFileName(path));
    }

    public static ModelLoadResult Load(Stream stream, string name)
    {
        var error = ModelZip.TryLoad<ModelManifest>(
            stream, name, Writer, m => m.FormatVersion == ModelManifest.CurrentFormatVersion, needsModel: true, out var loaded);
        return error is not null
            ? ModelLoadResult.Failed(error)
            : ModelLoadResult.Loaded(new LeadModel(loaded!.Ml, loaded.Transformer!, loaded.InputSchema!, loaded.Manifest));
    }
}
