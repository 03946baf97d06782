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
        // One string per field name, as the store's reader shares them (FieldJson's pool), not one per contact.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
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

                var name = property.Name;
                if (!names.TryGetValue(name, out var shared))
                {
                    names[name] = shared = name;
                }

                values[shared] = Read(property.Value);
            }

            fields[id!] = values;
            order.Add(id!);
        }

        var events = new Dictionary<string, List<ActivityEvent>>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var sharedProperties = new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>(StringComparer.Ordinal);
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

            // Events with the same properties share one read-only dictionary, as DuckDB's dictionary-encoded
            // columns share their values: the generator writes a few thousand distinct sets (campaign, URL, form)
            // for millions of events, and a dictionary each would cost some 500 bytes per event.
            IReadOnlyDictionary<string, FieldValue>? properties = null;
            if (root.TryGetProperty("properties", out var props))
            {
                var raw = props.GetRawText();
                if (!sharedProperties.TryGetValue(raw, out properties))
                {
                    var read = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
                    foreach (var property in props.EnumerateObject())
                    {
                        read[property.Name] = Read(property.Value);
                    }

                    sharedProperties[raw] = properties = read;
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
