using System.Text.Json;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.SideBySide.Rescore;

/// <summary>
/// Reads what <c>leadscore generate</c> writes (contacts.jsonl, events.jsonl) into the engine's input, the
/// way the CLI's own readers do: JSON numbers and booleans keep their kind, text is read as text.
/// The CLI's readers are internal, hence this small copy.
/// </summary>
internal static class FunnelFiles
{
    public static List<ScoringSubject> ReadContacts(string directory)
    {
        var fields = new Dictionary<string, Dictionary<string, FieldValue>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(directory, "contacts.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            var values = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
            string? id = null;
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "id")
                {
                    id = property.Value.GetString();
                    continue;
                }

                values[property.Name] = Read(property.Value);
            }

            fields[id!] = values;
            order.Add(id!);
        }

        var events = new Dictionary<string, List<ActivityEvent>>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(directory, "events.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var contact = root.GetProperty("contact").GetString()!;
            var typeText = root.GetProperty("type").GetString()!;
            // One string per event type, as a store's reader gets from its string pool, not one per event.
            if (!types.TryGetValue(typeText, out var type))
            {
                types[typeText] = type = typeText;
            }

            Dictionary<string, FieldValue>? properties = null;
            if (root.TryGetProperty("properties", out var props))
            {
                properties = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in props.EnumerateObject())
                {
                    properties[property.Name] = Read(property.Value);
                }
            }

            if (!events.TryGetValue(contact, out var list))
            {
                events[contact] = list = [];
            }

            list.Add(new ActivityEvent(root.GetProperty("id").GetString()!, type, root.GetProperty("occurredAt").GetDateTimeOffset(), properties));
        }

        return [.. order.Select(id => ScoringSubject.ForContact(id, fields[id], events.TryGetValue(id, out var list) ? list : []))];
    }

    private static FieldValue Read(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => FieldValue.FromNumber(value.GetDouble()),
        JsonValueKind.True => FieldValue.FromBoolean(true),
        JsonValueKind.False => FieldValue.FromBoolean(false),
        JsonValueKind.String => FieldValue.FromText(value.GetString()),
        JsonValueKind.Null => FieldValue.Missing,
        _ => FieldValue.FromText(value.GetRawText()),
    };
}
