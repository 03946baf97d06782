using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Sql;

/// <summary>
/// Fields and event properties as stored: one JSON object whose values keep their kind (a number
/// stays a number, a date stays an ISO 8601 string), read back into the same <see cref="FieldValue"/>s.
/// </summary>
internal static class FieldJson
{
    public static string Write(IEnumerable<KeyValuePair<string, FieldValue>> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (!value.IsMissing)
                {
                    writer.WritePropertyName(name);
                    FieldValueJson.Write(writer, value);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Dictionary<string, FieldValue> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, rented);
            return Read(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Reads the stored UTF-8 text as it is (SQLite hands it over so), without a string of it.</summary>
    public static Dictionary<string, FieldValue> Read(ReadOnlySpan<byte> utf8)
    {
        // Sized up front from the colons (at least one per field): a contact's twenty fields would
        // otherwise grow the dictionary three times, and re-scoring parses fields of every record it touches.
        var fields = new Dictionary<string, FieldValue>(utf8.Count((byte)':'), StringComparer.OrdinalIgnoreCase);
        if (!utf8.IsEmpty)
        {
            Parse(new Utf8JsonReader(utf8), fields);
        }

        return fields;
    }

    private static void Parse(Utf8JsonReader reader, Dictionary<string, FieldValue> fields)
    {
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            fields[name] = reader.TokenType switch
            {
                JsonTokenType.Number => FieldValue.FromNumber(reader.GetDouble()),
                JsonTokenType.True => FieldValue.FromBoolean(true),
                JsonTokenType.False => FieldValue.FromBoolean(false),
                JsonTokenType.String => Text(reader.GetString()),
                _ => FieldValue.Missing,
            };
        }
    }

    /// <summary>
    /// Field names repeat on every record of a workspace: each is made a string once and shared, up to
    /// <see cref="MaxSharedNames"/> names (a store's whole vocabulary of standard and custom fields;
    /// past that, names are read as before rather than growing the pool without end).
    /// </summary>
    private static string Name(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxSharedNameLength)
        {
            return reader.GetString()!;
        }

        Span<char> characters = stackalloc char[MaxSharedNameLength];
        var length = Encoding.UTF8.GetChars(reader.ValueSpan, characters);
        var lookup = SharedNames.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(characters[..length], out var name))
        {
            return name;
        }

        name = new string(characters[..length]);
        return SharedNames.Count < MaxSharedNames ? SharedNames.GetOrAdd(name, name) : name;
    }

    private const int MaxSharedNames = 4096;

    private const int MaxSharedNameLength = 64;

    private static readonly ConcurrentDictionary<string, string> SharedNames = new(StringComparer.Ordinal);

    // A date is written as its round-trip ISO 8601 text; text in exactly that form reads back as a date.
    // Other text that merely looks like a date stays text, as it was given.
    private static FieldValue Text(string? text) =>
        IsoDate.TryParse(text, out var date) && FieldValue.FromDate(date) is var asDate && asDate.Text == text ? asDate : FieldValue.FromText(text);
}
