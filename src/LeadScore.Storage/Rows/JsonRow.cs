using System.Text.Json;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Rows;

/// <summary>
/// Turns one JSON object (a line of a JSON Lines file, an item of an API batch) into a
/// <see cref="SourceRow"/>: scalar values become cells, an object value becomes a nested cell (an
/// event's properties), arrays are refused.
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

    public static SourceRow Read(JsonElement element, int line)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new SourceRow(line, [], "each item must be one JSON object");
        }

        var cells = new List<SourceCell>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                var nested = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
                foreach (var inner in property.Value.EnumerateObject())
                {
                    if (!TryScalar(inner.Value, out var innerValue))
                    {
                        return new SourceRow(line, [], $"'{property.Name}.{inner.Name}' must be text, a number, true/false or null");
                    }

                    if (!innerValue.IsMissing)
                    {
                        nested[inner.Name] = innerValue;
                    }
                }

                cells.Add(new SourceCell(property.Name, FieldValue.Missing, nested));
                continue;
            }

            if (!TryScalar(property.Value, out var value))
            {
                return new SourceRow(line, [], $"'{property.Name}' must be text, a number, true/false or null, not an array");
            }

            cells.Add(new SourceCell(property.Name, value));
        }

        return new SourceRow(line, cells);
    }

    private static bool TryScalar(JsonElement element, out FieldValue value)
    {
        value = element.ValueKind switch
        {
            JsonValueKind.String => FieldValue.FromText(element.GetString()),
            JsonValueKind.Number => FieldValue.FromNumber(element.GetDouble()),
            JsonValueKind.True => FieldValue.FromBoolean(true),
            JsonValueKind.False => FieldValue.FromBoolean(false),
            _ => FieldValue.Missing,
        };
        return element.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object);
    }
}
