using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeadScore.SideBySide;

/// <summary>Each measuring step writes its figures as a small JSON file; the report reads them back.</summary>
internal static class Results
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string path, Dictionary<string, object?> figures) =>
        File.WriteAllText(path, JsonSerializer.Serialize(figures, Indented));

    public static JsonObject? Read(string path) =>
        File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
}
