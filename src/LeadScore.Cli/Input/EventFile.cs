using System.Text.Json;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Cli.Input;

/// <summary>
/// Reads events: <c>id</c>, <c>contact</c>, <c>type</c>, <c>occurredAt</c>, and <c>properties</c>
/// (an object in JSON Lines, a JSON text in CSV). Any other key or column is a property too, so a
/// CSV can carry a <c>url</c> column. The same event id counts once.
/// </summary>
internal sealed record EventRecord(int Line, string Contact, ActivityEvent Event);

internal static class EventFile
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "id", "contact", "type", "occurredAt", "properties" };

    public static List<EventRecord> Read(string path, List<InputError> errors)
    {
        var events = new List<EventRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var name = Path.GetFileName(path);
        foreach (var row in SourceFile.ReadRows(path))
        {
            string? contact = null;
            ActivityEvent? activity = null;
            var reason = row.Error ?? TryRead(row, out contact, out activity);
            if (reason is not null)
            {
                errors.Add(new InputError(name, row.Line, reason));
                continue;
            }

            if (seen.Add(activity!.Id))
            {
                events.Add(new EventRecord(row.Line, contact!, activity));
            }
        }

        return events;
    }

    private static string? TryRead(SourceRow row, out string? contact, out ActivityEvent? activity)
    {
        contact = null;
        activity = null;
        var id = Text(row, "id");
        contact = Text(row, "contact");
        var type = Text(row, "type");
        var occurredAt = Text(row, "occurredAt");
        var missing = new[] { ("id", id), ("contact", contact), ("type", type), ("occurredAt", occurredAt) }
            .Where(p => p.Item2 is null).Select(p => $"'{p.Item1}'").ToArray();
        if (missing.Length > 0)
        {
            return $"no {string.Join(", ", missing)}: every event needs id, contact, type and occurredAt";
        }

        if (!IsoDate.TryParse(occurredAt, out var instant))
        {
            return $"occurredAt '{occurredAt}' is not an ISO 8601 date-time such as 2026-11-01T10:00:00Z";
        }

        var properties = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var cell in row.Cells)
        {
            if (string.Equals(cell.Name, "properties", StringComparison.OrdinalIgnoreCase))
            {
                var problem = AddProperties(cell, properties);
                if (problem is not null)
                {
                    return problem;
                }
            }
            else if (!Reserved.Contains(cell.Name) && !cell.Value.IsMissing)
            {
                if (cell.Nested is not null)
                {
                    return $"'{cell.Name}' is an object; put event details under 'properties'";
                }

                properties[cell.Name] = cell.Value;
            }
        }

        activity = new ActivityEvent(id!, type!, instant, properties);
        return null;
    }

    private static string? AddProperties(SourceCell cell, Dictionary<string, FieldValue> properties)
    {
        if (cell.Nested is not null)
        {
            foreach (var (key, value) in cell.Nested)
            {
                properties[key] = value;
            }

            return null;
        }

        if (cell.Value.IsMissing)
        {
            return null;
        }

        // In a CSV the properties column holds a JSON object as text.
        try
        {
            using var document = JsonDocument.Parse(cell.Value.Text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "'properties' must be a JSON object";
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        properties[property.Name] = FieldValue.FromText(property.Value.GetString());
                        break;
                    case JsonValueKind.Number:
                        properties[property.Name] = FieldValue.FromNumber(property.Value.GetDouble());
                        break;
                    case JsonValueKind.True or JsonValueKind.False:
                        properties[property.Name] = FieldValue.FromBoolean(property.Value.GetBoolean());
                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        return $"'properties.{property.Name}' must be text, a number or true/false";
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return "'properties' is not a valid JSON object";
        }
    }

    private static string? Text(SourceRow row, string name) =>
        row.Find(name) is { Value.IsMissing: false } cell ? cell.Value.Text : null;
}
