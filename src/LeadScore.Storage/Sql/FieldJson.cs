using System.Buffers;
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
                switch (value.Kind)
                {
                    case FieldKind.Missing:
                        continue;
                    case FieldKind.Number:
                        writer.WriteNumber(name, value.Number);
                        break;
                    case FieldKind.Boolean:
                        writer.WriteBoolean(name, value.Text == "true");
                        break;
                    default:
                        writer.WriteString(name, value.Text);
                        break;
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

        // Sized up front from the colons (at least one per field): a contact's twenty fields would
        // otherwise grow the dictionary three times, and re-scoring parses fields of every record it touches.
        var fields = new Dictionary<string, FieldValue>(json.AsSpan().Count(':'), StringComparer.OrdinalIgnoreCase);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, rented);
            Parse(new Utf8JsonReader(rented.AsSpan(0, length)), fields);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return fields;
    }

    private static void Parse(Utf8JsonReader reader, Dictionary<string, FieldValue> fields)
    {
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
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

    // A date is written as its round-trip ISO 8601 text; text in exactly that form reads back as a date.
    // Other text that merely looks like a date stays text, as it was given.
    private static FieldValue Text(string? text) =>
        IsoDate.TryParse(text, out var date) && FieldValue.FromDate(date) is var asDate && asDate.Text == text ? asDate : FieldValue.FromText(text);
}
