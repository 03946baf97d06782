using System.Text.Json;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Rows;

/// <summary>
/// Turns one JSON object (a line of a JSON Lines file, an item of an API batch) into a
/// <see cref="SourceRow"/>: scalar values become cells, an object value becomes a nested cell (an
/// event's properties), arrays are refused. Every name and value is checked here, where it enters
/// (<see cref="JsonValues"/>): a number out of range or text that is not storable rejects the row,
/// with its JSON path, and only that row.
/// </summary>
public static class JsonRow
{
    public static SourceRow Parse(string json, int line)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement, line);
        }
        catch (JsonException ex)
        {
            return new SourceRow(line, [], $"not valid JSON at column {(ex.BytePositionInLine ?? 0) + 1}");
        }
    }

    /// <param name="element">The row's JSON.</param>
    /// <param name="line">The row's line in a file, or its 1-based position in a batch.</param>
    /// <param name="path">Where <paramref name="element"/> is in the request (<c>$[3]</c> in a batch), for the JSON paths of problems.</param>
    public static SourceRow Read(JsonElement element, int line, string path = "$")
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new SourceRow(line, [], "each item must be one JSON object") { ErrorPath = path };
        }

        var cells = new List<SourceCell>();
        foreach (var property in element.EnumerateObject())
        {
            if (JsonValues.ReadName(property, path, out var name) is { } badName)
            {
                return Rejected(line, badName);
            }

            var at = JsonValues.Child(path, name);
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                var nested = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
                foreach (var inner in property.Value.EnumerateObject())
                {
                    if (JsonValues.ReadName(inner, at, out var innerName) is { } badInnerName)
                    {
                        return Rejected(line, badInnerName);
                    }

                    var innerAt = JsonValues.Child(at, innerName);
                    if (inner.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
                    {
                        return new SourceRow(line, [], $"'{name}.{innerName}' must be text, a number, true/false or null") { ErrorPath = innerAt };
                    }

                    if (JsonValues.ReadScalar(inner.Value, innerAt, out var innerValue) is { } badInner)
                    {
                        return Rejected(line, badInner);
                    }

                    if (!innerValue.IsMissing)
                    {
                        nested[innerName] = innerValue;
                    }
                }

                cells.Add(new SourceCell(name, FieldValue.Missing, nested));
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                return new SourceRow(line, [], $"'{name}' must be text, a number, true/false or null, not an array") { ErrorPath = at };
            }

            if (JsonValues.ReadScalar(property.Value, at, out var value) is { } bad)
            {
                return Rejected(line, bad);
            }

            cells.Add(new SourceCell(name, value));
        }

        return new SourceRow(line, cells);
    }

    private static SourceRow Rejected(int line, JsonValueProblem problem) =>
        new(line, [], $"{problem.Path}: {problem.Reason}") { ErrorPath = problem.Path };
}
