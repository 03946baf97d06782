using System.Text.Json;

namespace LeadScore.Engine.Values;

/// <summary>
/// How a field value is written as JSON, decided once for the store, the API and the CLI: a number
/// stays a number, a boolean a boolean, a date its ISO 8601 text, text itself, and a missing value
/// null. (JSON read from outside becomes a field value through <see cref="JsonValues.ReadScalar"/>.)
/// </summary>
public static class FieldValueJson
{
    /// <summary>The value as the plain .NET value a JSON serializer writes the same way: double, bool, string or null.</summary>
    public static object? ToJsonValue(FieldValue value) => value.Kind switch
    {
        FieldKind.Missing => null,
        FieldKind.Number => value.Number,
        FieldKind.Boolean => value.Text == "true",
        _ => value.Text,
    };

    /// <summary>Writes the value at the writer's position (after a property name, or in an array).</summary>
    public static void Write(Utf8JsonWriter writer, FieldValue value)
    {
        switch (ToJsonValue(value))
        {
            case double number:
                writer.WriteNumberValue(number);
                break;
            case bool boolean:
                writer.WriteBooleanValue(boolean);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
