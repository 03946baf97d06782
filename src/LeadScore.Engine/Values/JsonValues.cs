using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace LeadScore.Engine.Values;

/// <summary>
/// Reads JSON text and numbers where input enters, and checks them there once. A JSON parser takes
/// what the format allows but .NET and the stores cannot hold: a number beyond a double's range
/// (<c>1e400</c> reads as infinity), string bytes that are not UTF-8, an escaped lone surrogate
/// (<c>"\ud800"</c>), a NUL (<c>"\u0000"</c>). Each becomes a <see cref="JsonValueProblem"/> with its
/// JSON path, never an exception.
/// </summary>
public static class JsonValues
{
    /// <summary>The first value or property name at or under <paramref name="element"/> that cannot be read and stored; null when every one can.</summary>
    public static JsonValueProblem? Check(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (ReadName(property, path, out var name) is { } badName)
                    {
                        return badName;
                    }

                    if (Check(property.Value, Child(path, name)) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Check(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                return ReadText(element, path, out _);
            case JsonValueKind.Number:
                return ReadNumber(element, path, out _);
            default:
                return null;
        }
    }

    /// <summary>Reads a JSON string (the caller has checked the kind).</summary>
    public static JsonValueProblem? ReadText(JsonElement element, string path, out string text)
    {
        text = string.Empty;
        string read;
        try
        {
            read = element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // The reader leaves string content unchecked until it is decoded; decoding is where a bad byte or escape shows.
            return new JsonValueProblem(path, JsonValueFault.Text, Utf8.IsValid(JsonMarshal.GetRawUtf8Value(element))
                ? "the text holds a lone surrogate escape (such as \\ud800), which is not valid Unicode; send the character itself, or both halves of its surrogate pair"
                : "the text is not valid UTF-8; send the body encoded as UTF-8");
        }

        if (StorableText.Problem(read) is { } problem)
        {
            return new JsonValueProblem(path, JsonValueFault.Text, "the text " + problem);
        }

        text = read;
        return null;
    }

    /// <summary>Reads a property's name; a bad name is reported at its object's <paramref name="path"/>.</summary>
    public static JsonValueProblem? ReadName(JsonProperty property, string path, out string name)
    {
        name = string.Empty;
        string read;
        try
        {
            read = property.Name;
        }
        catch (InvalidOperationException)
        {
            return new JsonValueProblem(path, JsonValueFault.Text, Utf8.IsValid(JsonMarshal.GetRawUtf8PropertyName(property))
                ? "a property name holds a lone surrogate escape (such as \\ud800), which is not valid Unicode; rename it"
                : "a property name is not valid UTF-8; send the body encoded as UTF-8");
        }

        if (StorableText.Problem(read) is { } problem)
        {
            return new JsonValueProblem(path, JsonValueFault.Text, $"the property name '{Printable(read)}' {problem}");
        }

        name = read;
        return null;
    }

    /// <summary>Reads a JSON number as a finite double (the caller has checked the kind).</summary>
    public static JsonValueProblem? ReadNumber(JsonElement element, string path, out double number)
    {
        if (element.TryGetDouble(out number) && double.IsFinite(number))
        {
            return null;
        }

        number = 0;
        var raw = element.GetRawText();
        return new JsonValueProblem(path, JsonValueFault.Number,
            $"the number {(raw.Length > 40 ? raw[..40] + "..." : raw)} is out of range (a number must lie within ±1.7e308); send a smaller one, or send it as text");
    }

    /// <summary>
    /// Reads a scalar (text, number, true/false, null) as a field value; null is <see cref="FieldValue.Missing"/>.
    /// An array or object is not a scalar: the caller decides what that means before calling.
    /// </summary>
    public static JsonValueProblem? ReadScalar(JsonElement element, string path, out FieldValue value)
    {
        value = FieldValue.Missing;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var textProblem = ReadText(element, path, out var text);
                value = textProblem is null ? FieldValue.FromText(text) : FieldValue.Missing;
                return textProblem;
            case JsonValueKind.Number:
                var numberProblem = ReadNumber(element, path, out var number);
                value = numberProblem is null ? FieldValue.FromNumber(number) : FieldValue.Missing;
                return numberProblem;
            case JsonValueKind.True or JsonValueKind.False:
                value = FieldValue.FromBoolean(element.GetBoolean());
                return null;
            default:
                return null;
        }
    }

    /// <summary>The JSON path of a property: <c>$.name</c>, or <c>$['odd name']</c> when the name is not a plain word.</summary>
    public static string Child(string path, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? $"{path}.{name}"
            : $"{path}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    // A message must not carry the NUL or the lone surrogate it complains about.
    private static string Printable(string text)
    {
        var shown = text.Length > 60 ? text[..60] + "..." : text;
        return string.Create(shown.Length, shown, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] == '\0' || char.IsSurrogate(source[i]) ? '\uFFFD' : source[i];
            }
        });
    }
}
