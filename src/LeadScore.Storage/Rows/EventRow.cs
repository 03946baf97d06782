using System.Text.Json;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Rows;

/// <summary>
/// An event as a row holds it: <c>id</c>, <c>contact</c> (or <c>email</c>), <c>type</c>,
/// <c>occurredAt</c>, and <c>properties</c> (an object in JSON, a JSON text in CSV). Any other key or
/// column is a property too, so a CSV can carry a <c>url</c> column.
/// </summary>
/// <param name="Contact">The contact's id, when the sender knows it.</param>
/// <param name="Email">The contact's email, for senders that know only that.</param>
/// <param name="Event">The event itself.</param>
public sealed record EventRow(string? Contact, string? Email, ActivityEvent Event)
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "contact", "email", "type", "occurredAt", "properties",
    };

    public static RowReading<EventRow> Read(SourceRow row)
    {
        var id = Text(row, "id");
        var contact = Text(row, "contact");
        var email = Text(row, "email");
        var type = Text(row, "type");
        var occurredAt = Text(row, "occurredAt");
        var missing = new[] { ("'id'", id), ("'contact' or 'email'", contact ?? email), ("'type'", type), ("'occurredAt'", occurredAt) }
            .Where(p => p.Item2 is null).Select(p => p.Item1).ToArray();
        if (missing.Length > 0)
        {
            return RowReading<EventRow>.Rejected(
                $"no {string.Join(", ", missing)}: every event needs id, contact (or email), type and occurredAt");
        }

        if (!IsoDate.TryParse(occurredAt, out var instant))
        {
            return RowReading<EventRow>.Rejected(
                $"occurredAt '{occurredAt}' is not an ISO 8601 date-time such as 2026-11-01T10:00:00Z", row.Find("occurredAt")!.Column);
        }

        var properties = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var cell in row.Cells)
        {
            if (string.Equals(cell.Name, "properties", StringComparison.OrdinalIgnoreCase))
            {
                var problem = AddProperties(cell, properties);
                if (problem is not null)
                {
                    return RowReading<EventRow>.Rejected(problem, cell.Column);
                }
            }
            else if (!Reserved.Contains(cell.Name) && !cell.Value.IsMissing)
            {
                if (cell.Nested is not null)
                {
                    return RowReading<EventRow>.Rejected($"'{cell.Name}' is an object; put event details under 'properties'", cell.Column);
                }

                properties[cell.Name] = cell.Value;
            }
        }

        return RowReading<EventRow>.Of(new EventRow(contact, email, new ActivityEvent(id!, type!, instant, properties)));
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
                if (JsonValues.ReadName(property, "properties", out var name) is { } badName)
                {
                    return $"'{badName.Path}': {badName.Reason}";
                }

                if (property.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
                {
                    return $"'properties.{name}' must be text, a number or true/false";
                }

                if (JsonValues.ReadScalar(property.Value, JsonValues.Child("properties", name), out var value) is { } bad)
                {
                    return $"'{bad.Path}': {bad.Reason}";
                }

                if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    properties[name] = value;
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
