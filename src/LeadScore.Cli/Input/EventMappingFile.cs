using System.Text.Json;
using LeadScore.Storage.Sources;

namespace LeadScore.Cli.Input;

/// <summary>
/// A file of event mapping, <c>{"Source Event Name": "event_type" or null to ignore}</c>: the whole of a
/// workspace's mapping, or every reason it cannot be saved, so one edit fixes them all.
/// </summary>
internal sealed record EventMappingFile(IReadOnlyDictionary<string, string?> Names, IReadOnlyList<string> Problems)
{
    public static EventMappingFile Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            return Refused($"not JSON ({ex.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Refused("the file must be one JSON object: {\"Source Event Name\": \"event_type\" or null to ignore}");
            }

            var names = new Dictionary<string, string?>(StringComparer.Ordinal);
            var problems = new List<string>();
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                // JSON allows a name twice, and a dictionary would silently keep the last one.
                if (names.ContainsKey(entry.Name))
                {
                    problems.Add($"events['{entry.Name}']: the name appears twice; keep one");
                    continue;
                }

                switch (entry.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        names[entry.Name] = entry.Value.GetString();
                        break;
                    case JsonValueKind.Null:
                        names[entry.Name] = null;
                        break;
                    default:
                        problems.Add($"events['{entry.Name}']: {entry.Value.GetRawText()} is not an event type; give a type such as \"{EventMapping.SnakeCase(entry.Name)}\", or null to ignore the name");
                        names[entry.Name] = null;
                        break;
                }
            }

            problems.AddRange(EventMapping.Check(names));
            return new EventMappingFile(names, problems);
        }
    }

    private static EventMappingFile Refused(string problem) => new(new Dictionary<string, string?>(), [problem]);
}
