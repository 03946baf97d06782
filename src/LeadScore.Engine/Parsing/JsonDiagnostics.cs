using System.Globalization;
using System.Text.Json;

namespace LeadScore.Engine.Parsing;

/// <summary>
/// The half every reader of our JSON formats shares (the model reader, the automation reader): the
/// problems found so far, each with its JSON path and stable code, and the checks they all make on a
/// value (an object of known properties, text, a number, true or false), so the same mistake reads
/// the same in a model and in an automation.
/// </summary>
internal sealed class JsonDiagnostics
{
    /// <summary>Said of a number too large to compute with (1e400 reads as infinity).</summary>
    public const string TooLarge = "This number is too large to compute with; keep numbers within ±1e308.";

    private readonly List<ModelDiagnostic> _errors = [];

    public IReadOnlyList<ModelDiagnostic> Errors => _errors;

    public void Error(string path, string code, string message) => _errors.Add(new ModelDiagnostic(path, code, message));

    public void AddRange(IEnumerable<ModelDiagnostic> errors) => _errors.AddRange(errors);

    public void WrongType(string path, string expected, JsonElement actual) =>
        Error(path, DiagnosticCodes.WrongType, $"Expected {expected} here, but found {Describe(actual)}.");

    /// <summary>Reports <paramref name="name"/> missing from the object at <paramref name="path"/>; null, for the caller to return.</summary>
    public T? Missing<T>(string path, string name, string? example = null)
        where T : class
    {
        Error(path, DiagnosticCodes.MissingProperty, example is null ? $"'{name}' is required." : $"'{name}' is required: {example}");
        return null;
    }

    /// <summary>False when the value is not an object (reported); its properties are the caller's to check.</summary>
    public bool ExpectObject(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        WrongType(path, "an object", element);
        return false;
    }

    /// <summary>
    /// False when the value is not an object. Each property not <paramref name="allowed"/> is reported
    /// (with the right spelling when only its case is wrong), and reading goes on, so one pass finds all.
    /// </summary>
    public bool ExpectObject(JsonElement element, string path, IReadOnlyList<string> allowed)
    {
        if (!ExpectObject(element, path))
        {
            return false;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                var suggestion = allowed.FirstOrDefault(a => string.Equals(a, property.Name, StringComparison.OrdinalIgnoreCase));
                Error($"{path}.{property.Name}", DiagnosticCodes.UnknownProperty,
                    suggestion is not null
                        ? $"Unknown property '{property.Name}'; did you mean '{suggestion}'?"
                        : $"Unknown property '{property.Name}'; allowed here: {string.Join(", ", allowed.Where(a => a != "$schema"))}.");
            }
        }

        return true;
    }

    public string? RequiredString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out _))
        {
            return Missing<string>(path, name);
        }

        var value = OptionalString(parent, name, path);
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            Error($"{path}.{name}", DiagnosticCodes.InvalidValue, $"'{name}' must not be empty.");
            return null;
        }

        return value;
    }

    public string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            WrongType($"{path}.{name}", "text", element);
            return null;
        }

        return element.GetString();
    }

    /// <summary>Required text, trimmed, not empty, at most <paramref name="maxLength"/> characters.</summary>
    public string? RequiredText(JsonElement parent, string name, string path, int maxLength) =>
        parent.TryGetProperty(name, out _) ? OptionalText(parent, name, path, maxLength) : Missing<string>(path, name);

    /// <summary>Optional text, trimmed; when given, not empty and at most <paramref name="maxLength"/> characters.</summary>
    public string? OptionalText(JsonElement parent, string name, string path, int maxLength)
    {
        if (!parent.TryGetProperty(name, out _))
        {
            return null;
        }

        var text = RequiredString(parent, name, path)?.Trim();
        if (text is not null && text.Length > maxLength)
        {
            Error($"{path}.{name}", DiagnosticCodes.InvalidValue, $"'{name}' is {text.Length} characters long; at most {maxLength} are allowed.");
            return null;
        }

        return text;
    }

    public double? RequiredNumber(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out _))
        {
            Missing<string>(path, name);
            return null;
        }

        return OptionalNumber(parent, name, path);
    }

    public double? OptionalNumber(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            WrongType($"{path}.{name}", "a number", element);
            return null;
        }

        if (!double.IsFinite(element.GetDouble()))
        {
            Error($"{path}.{name}", DiagnosticCodes.InvalidValue, TooLarge);
            return null;
        }

        return element.GetDouble();
    }

    public bool? OptionalBoolean(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var element))
        {
            return null;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            WrongType($"{path}.{name}", "true or false", element);
            return null;
        }

        return element.GetBoolean();
    }

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the text {element.GetRawText()}",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => element.GetRawText(),
    };

    public static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
