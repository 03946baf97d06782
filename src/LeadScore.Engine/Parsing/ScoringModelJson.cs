using System.Text.Json;

namespace LeadScore.Engine.Parsing;

/// <summary>Reads scoring models from the JSON model format and checks them.</summary>
public static class ScoringModelJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>
    /// Reads a document in the model format's leniency (comments and trailing commas allowed), or
    /// says where it is not JSON: <paramref name="what"/> names it in the message ("model").
    /// </summary>
    public static JsonDocument? ReadDocument(string json, string what, out ModelDiagnostic? malformed)
    {
        try
        {
            malformed = null;
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            var reason = ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
            malformed = new ModelDiagnostic("$", DiagnosticCodes.MalformedJson, $"The {what} is not valid JSON at line {line}, column {column}: {reason}.");
            return null;
        }
    }

    /// <summary>
    /// Parses and validates a model. Never throws for bad input: malformed JSON, wrong shapes and
    /// semantic mistakes all come back as errors with a JSON path.
    /// </summary>
    public static ModelValidation Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (ReadDocument(json, "model", out var malformed) is not { } document)
        {
            return new ModelValidation(null, [malformed!], []);
        }

        using (document)
        {
            var reader = new ModelReader();
            var model = reader.ReadModel(document.RootElement);
            if (model is null)
            {
                return new ModelValidation(null, [.. reader.Errors], []);
            }

            var validation = ModelValidator.Validate(model);
            if (reader.Errors.Count == 0)
            {
                return validation;
            }

            // Like a compiler: what could be read is still checked, so a reading error in one rule does not
            // hide a mistake in another. Checks about a part that could not be read are left out (they would
            // follow from the reading error), and so are warnings, which judge the whole model.
            var unread = reader.Errors.Select(e => e.Path).ToList();
            var checks = validation.Errors
                .Select(e => e with { Path = reader.ToSourcePath(e.Path) })
                .Where(e => !unread.Any(path => path.StartsWith(e.Path, StringComparison.Ordinal) || e.Path.StartsWith(path, StringComparison.Ordinal))
                    && !(e.Code == DiagnosticCodes.UnknownCategory && unread.Any(path => path.StartsWith("$.categories", StringComparison.Ordinal))));
            return new ModelValidation(null, [.. reader.Errors.Concat(checks).OrderBy(e => SortKey(e.Path), StringComparer.Ordinal)], []);
        }
    }

    /// <summary>A path with its indices padded, so $.rules[2] sorts before $.rules[10].</summary>
    private static string SortKey(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"\[(\d+)\]", m => $"[{m.Groups[1].Value.PadLeft(6, '0')}]");
}
