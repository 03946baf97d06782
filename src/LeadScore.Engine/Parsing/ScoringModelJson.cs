using System.Text.Json;
using LeadScore.Engine.Model;

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
            if (reader.Errors.Count > 0 || model is null)
            {
                return new ModelValidation(null, [.. reader.Errors], []);
            }

            return ModelValidator.Validate(model);
        }
    }
}
