using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;

namespace LeadScore.Prediction.Models;

/// <summary>
/// The file format of every trained model: one zip holding the ML.NET model (model.mlnet, absent when the
/// model needs none) and a manifest (manifest.json) a person can read.
/// </summary>
internal static class ModelZip
{
    private const string ModelEntry = "model.mlnet";
    private const string ManifestEntry = "manifest.json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Save<TManifest>(Stream stream, TManifest manifest, MLContext ml, ITransformer? transformer, DataViewSchema? inputSchema)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        if (transformer is not null)
        {
            using var model = zip.CreateEntry(ModelEntry, CompressionLevel.NoCompression).Open();
            // ML.NET writes its own zip; storing it again uncompressed costs nothing.
            ml.Model.Save(transformer, inputSchema, model);
        }

        using var manifestStream = zip.CreateEntry(ManifestEntry).Open();
        JsonSerializer.Serialize(manifestStream, manifest, Json);
    }

    /// <summary>
    /// Reads a model zip written by <paramref name="writer"/> (named in errors): its manifest, when
    /// <paramref name="isCurrent"/> accepts it, and its ML.NET model when it has one; or why it cannot be read.
    /// </summary>
    public static string? TryLoad<TManifest>(
        Stream stream, string name, string writer, Func<TManifest, bool> isCurrent, bool needsModel, out Loaded<TManifest>? loaded)
        where TManifest : class
    {
        loaded = null;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            return $"'{name}' is not a model zip written by {writer}";
        }

        using (zip)
        {
            var modelEntry = zip.GetEntry(ModelEntry);
            var manifestEntry = zip.GetEntry(ManifestEntry);
            if (manifestEntry is null || (needsModel && modelEntry is null))
            {
                return $"'{name}' lacks {ModelEntry} or {ManifestEntry}: it was not written by {writer}";
            }

            TManifest? manifest;
            using (var manifestStream = manifestEntry.Open())
            {
                try
                {
                    manifest = JsonSerializer.Deserialize<TManifest>(manifestStream, Json);
                }
                catch (JsonException ex)
                {
                    return $"the manifest of '{name}' is not valid: {ex.Message}";
                }
            }

            if (manifest is null || !isCurrent(manifest))
            {
                return $"'{name}' has a manifest of another format version; train the model again";
            }

            var ml = new MLContext(seed: 0);
            if (modelEntry is null)
            {
                loaded = new Loaded<TManifest>(manifest, ml, null, null);
                return null;
            }

            // ML.NET reads a model zip by seeking; a zip entry's stream cannot seek.
            using var buffer = new MemoryStream();
            using (var modelStream = modelEntry.Open())
            {
                modelStream.CopyTo(buffer);
            }

            buffer.Position = 0;
            var transformer = ml.Model.Load(buffer, out var schema);
            loaded = new Loaded<TManifest>(manifest, ml, transformer, schema);
            return null;
        }
    }

    public sealed record Loaded<TManifest>(TManifest Manifest, MLContext Ml, ITransformer? Transformer, DataViewSchema? InputSchema);
}
