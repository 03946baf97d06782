using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Features;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadScore.Prediction.Models;

/// <summary>
/// A trained, calibrated lead model: predicts each row's probability to convert, tier and top factors,
/// and is saved as one zip holding the ML.NET model (model.mlnet) and its manifest (manifest.json).
/// </summary>
public sealed class LeadModel
{
    private const string ModelEntry = "model.mlnet";
    private const string ManifestEntry = "manifest.json";
    private const int FactorsShown = 3;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly DataViewSchema _inputSchema;
    private readonly FeatureEncoder _encoder;

    internal LeadModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, ModelManifest manifest)
    {
        _ml = ml;
        _transformer = transformer;
        _inputSchema = inputSchema;
        _encoder = new FeatureEncoder(manifest.Columns);
        Manifest = manifest;
    }

    public ModelManifest Manifest { get; }

    /// <summary>
    /// Predicts every row of <paramref name="table"/>. Columns are matched by name: extra ones are ignored,
    /// absent ones read as missing, and unseen categorical levels as "other".
    /// </summary>
    public IReadOnlyList<LeadPrediction> Predict(CsvTable table)
    {
        var sources = _encoder.Columns.Select(c => table.IndexOf(c.Name)).ToArray();
        var idColumn = Manifest.IdColumn is null ? -1 : table.IndexOf(Manifest.IdColumn);
        var rows = table.Rows.Select(row => new FeatureRow { Features = _encoder.Encode(f => sources[f] < 0 ? null : row[sources[f]]) }).ToList();
        var scored = _transformer.Transform(FeatureData.Load(_ml, rows, _encoder.Length));
        var scores = scored.GetColumn<float>("Score").ToArray();
        var contributions = scored.GetColumn<VBuffer<float>>("FeatureContributions").Select(v => v.DenseValues().ToArray()).ToArray();

        var predictions = new List<LeadPrediction>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = table.Rows[i];
            var probability = Manifest.Calibrator.Calibrate(scores[i]);
            var id = idColumn >= 0 && row[idColumn] is { } value ? value : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var factors = Factors(contributions[i], row, table);
            predictions.Add(new LeadPrediction(id, probability, Manifest.Tiers.TierOf(probability), [.. factors.Take(FactorsShown)])
            {
                Raising = [.. factors.Where(f => f.Contribution > 0).Take(FactorsShown)],
                Lowering = [.. factors.Where(f => f.Contribution < 0).Take(FactorsShown)],
            });
        }

        return predictions;
    }

    /// <summary>Every column that moved the score, strongest first.</summary>
    private List<Factor> Factors(float[] contributions, string?[] row, CsvTable table)
    {
        var byColumn = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var slot = 0; slot < contributions.Length; slot++)
        {
            if (contributions[slot] != 0)
            {
                var column = _encoder.SlotColumns[slot];
                byColumn[column] = byColumn.GetValueOrDefault(column) + contributions[slot];
            }
        }

        return byColumn.Where(c => c.Value != 0).OrderByDescending(c => Math.Abs(c.Value)).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c =>
            {
                var index = table.IndexOf(c.Key);
                return new Factor(c.Key, index >= 0 && row[index] is { } cell ? cell : TypeInference.MissingLevel, c.Value);
            })
            .ToList();
    }

    public void Save(string path)
    {
        using var file = File.Create(path);
        Save(file);
    }

    public void Save(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var model = zip.CreateEntry(ModelEntry, CompressionLevel.NoCompression).Open())
        {
            // ML.NET writes its own zip; storing it again uncompressed costs nothing.
            _ml.Model.Save(_transformer, _inputSchema, model);
        }

        using var manifest = zip.CreateEntry(ManifestEntry).Open();
        JsonSerializer.Serialize(manifest, Manifest, Json);
    }

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
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            return ModelLoadResult.Failed($"'{name}' is not a model zip written by 'leadscore train'");
        }

        using (zip)
        {
            var modelEntry = zip.GetEntry(ModelEntry);
            var manifestEntry = zip.GetEntry(ManifestEntry);
            if (modelEntry is null || manifestEntry is null)
            {
                return ModelLoadResult.Failed($"'{name}' lacks {ModelEntry} or {ManifestEntry}: it was not written by 'leadscore train'");
            }

            ModelManifest? manifest;
            using (var manifestStream = manifestEntry.Open())
            {
                try
                {
                    manifest = JsonSerializer.Deserialize<ModelManifest>(manifestStream, Json);
                }
                catch (JsonException ex)
                {
                    return ModelLoadResult.Failed($"the manifest of '{name}' is not valid: {ex.Message}");
                }
            }

            if (manifest is null || manifest.FormatVersion != ModelManifest.CurrentFormatVersion)
            {
                return ModelLoadResult.Failed($"'{name}' has a manifest of another format version; train the model again");
            }

            // ML.NET reads a model zip by seeking; a zip entry's stream cannot seek.
            using var buffer = new MemoryStream();
            using (var modelStream = modelEntry.Open())
            {
                modelStream.CopyTo(buffer);
            }

            buffer.Position = 0;
            var ml = new MLContext(seed: 0);
            var transformer = ml.Model.Load(buffer, out var schema);
            return ModelLoadResult.Loaded(new LeadModel(ml, transformer, schema, manifest));
        }
    }
}
