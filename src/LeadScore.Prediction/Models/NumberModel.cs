using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Features;
using Microsoft.ML;

namespace LeadScore.Prediction.Models;

/// <summary>
/// A trained number model (a deal's won amount, its days to close): predicts each row's value and top
/// factors, and is saved as one zip like <see cref="LeadModel"/> (model.mlnet is absent when the mean
/// baseline was kept: every row then gets the training mean and no factors).
/// </summary>
public sealed class NumberModel
{
    public const string MeanBaselineName = "Mean";
    private const string Writer = "NumberModel.Save";

    private readonly MLContext _ml;
    private readonly ITransformer? _transformer;
    private readonly DataViewSchema? _inputSchema;
    private readonly ContributionScorer? _scorer;

    internal NumberModel(MLContext ml, ITransformer? transformer, DataViewSchema? inputSchema, NumberModelManifest manifest)
    {
        _ml = ml;
        _transformer = transformer;
        _inputSchema = inputSchema;
        _scorer = transformer is null ? null : new ContributionScorer(
            ml, transformer, new FeatureEncoder(manifest.Columns), manifest.IdColumn, manifest.TypicalContributions ?? new Dictionary<string, double>(), score => score);
        Manifest = manifest;
    }

    public NumberModelManifest Manifest { get; }

    /// <summary>Predicts every row of <paramref name="table"/>; columns are matched by name as for <see cref="LeadModel.Predict"/>.</summary>
    public IReadOnlyList<NumberPrediction> Predict(CsvTable table)
    {
        if (_scorer is null)
        {
            return ContributionScorer.RowIds(table, Manifest.IdColumn).Select(id => new NumberPrediction(id, Manifest.Mean, [])).ToArray();
        }

        return _scorer.Score(table).Select(row => new NumberPrediction(row.Id, row.Score, [.. row.Factors.Take(ContributionScorer.FactorsShown)])).ToArray();
    }

    public void Save(string path)
    {
        using var file = File.Create(path);
        Save(file);
    }

    public void Save(Stream stream) => ModelZip.Save(stream, Manifest, _ml, _transformer, _inputSchema);

    public static NumberModelLoadResult Load(string path)
    {
        if (!File.Exists(path))
        {
            return NumberModelLoadResult.Failed($"model file '{path}' does not exist");
        }

        using var file = File.OpenRead(path);
        return Load(file, Path.GetFileName(path));
    }

    public static NumberModelLoadResult Load(Stream stream, string name)
    {
        var error = ModelZip.TryLoad<NumberModelManifest>(
            stream, name, Writer, m => m.FormatVersion == NumberModelManifest.CurrentFormatVersion && m.Target is not null,
            needsModel: false, out var loaded);
        return error is not null
            ? NumberModelLoadResult.Failed(error)
            : NumberModelLoadResult.Loaded(new NumberModel(loaded!.Ml, loaded.Transformer, loaded.InputSchema, loaded.Manifest));
    }
}
