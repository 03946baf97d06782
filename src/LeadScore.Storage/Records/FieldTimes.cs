using System.Text.Json;
using LeadScore.Engine.Values;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Records;

/// <summary>
/// When each field of a record last changed after the record was created, stored beside its fields as
/// one JSON object of field name to microseconds (NULL while nothing changed since creation). A value
/// written at creation has no time of its own: the record's creation is its time, and an import of old
/// records must not look like a change made after their outcomes.
/// </summary>
internal static class FieldTimes
{
    /// <summary>
    /// The times after an update of <paramref name="stored"/> by <paramref name="incoming"/> at
    /// <paramref name="nowUs"/>: every field whose value is new or different takes that time.
    /// </summary>
    public static string? Changed(string? times, IReadOnlyDictionary<string, FieldValue> stored, IReadOnlyDictionary<string, FieldValue> incoming, long nowUs)
    {
        var changed = ReadMicros(times);
        foreach (var (name, value) in incoming)
        {
            var same = stored.TryGetValue(name, out var old) ? old.Equals(value) : value.IsMissing;
            if (!same)
            {
                changed[name] = nowUs;
            }
        }

        return changed.Count == 0 ? null : JsonSerializer.Serialize(changed);
    }

    /// <summary>The times after <paramref name="names"/> were changed at <paramref name="nowUs"/> (an automation's action, say).</summary>
    public static string? Touched(string? times, IEnumerable<string> names, long nowUs)
    {
        var changed = ReadMicros(times);
        foreach (var name in names)
        {
            changed[name] = nowUs;
        }

        return changed.Count == 0 ? null : JsonSerializer.Serialize(changed);
    }

    /// <summary>The stored times as instants; empty when no field changed since creation.</summary>
    public static IReadOnlyDictionary<string, DateTimeOffset> Read(string? times) =>
        ReadMicros(times).ToDictionary(t => t.Key, t => Micros.ToInstant(t.Value), StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, long> ReadMicros(string? times) =>
        string.IsNullOrEmpty(times)
            ? new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, long>(JsonSerializer.Deserialize<Dictionary<string, long>>(times)!, StringComparer.OrdinalIgnoreCase);
}
