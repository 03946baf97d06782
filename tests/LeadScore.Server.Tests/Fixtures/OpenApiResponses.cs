using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace LeadScore.Server.Tests.Fixtures;

/// <summary>
/// The served OpenAPI document as a checker of real answers: finds the operation a request reached
/// (method and path template) and checks a success answer's status and JSON body against what the
/// operation documents. Each schema is built once, on first use.
/// </summary>
public sealed partial class OpenApiResponses
{
    private static readonly string[] JsonTypes = ["application/json"];

    private readonly List<Operation> _operations;
    private readonly string _definitions;
    private readonly ConcurrentDictionary<(string OperationId, string Status), JsonSchema> _schemas = new();

    private OpenApiResponses(List<Operation> operations, string definitions)
    {
        _operations = operations;
        _definitions = definitions;
    }

    /// <summary>The document's operations, for tests that look at the document itself.</summary>
    public IReadOnlyList<Operation> Operations => _operations;

    public static OpenApiResponses Parse(string documentJson)
    {
        using var document = JsonDocument.Parse(documentJson);
        var root = document.RootElement;
        var operations = new List<Operation>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Value.ValueKind == JsonValueKind.Object && m.Value.TryGetProperty("responses", out _)))
            {
                var id = method.Value.TryGetProperty("operationId", out var operationId) ? operationId.GetString()! : $"{method.Name} {path.Name}";
                operations.Add(new Operation(method.Name.ToUpperInvariant(), path.Name, id, Pattern(path.Name), method.Value.GetProperty("responses").Clone()));
            }
        }

        // Most literal segments first: POST /contacts/batch is the batch, not a contact whose id is "batch".
        operations.Sort((a, b) => b.LiteralSegments.CompareTo(a.LiteralSegments));
        var definitions = root.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var schemas)
            ? Local(schemas.GetRawText())
            : "{}";
        return new OpenApiResponses(operations, definitions);
    }

    /// <summary>The operation that answers <paramref name="method"/> on <paramref name="path"/>; null for a path the document does not describe.</summary>
    public Operation? Find(string method, string path) =>
        _operations.FirstOrDefault(o => o.Method == method && o.Pattern.IsMatch(path));

    /// <summary>
    /// Why a success answer does not match the document (null when it does): a status the operation
    /// does not document, a body where it documents none, or a JSON body its schema refuses.
    /// </summary>
    public string? Check(Operation operation, int status, string? mediaType, string body)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetProperty(key, out var response))
        {
            return $"status {status} is not documented (it documents {string.Join(", ", operation.Responses.EnumerateObject().Select(r => r.Name))})";
        }

        if (!response.TryGetProperty("content", out var content))
        {
            return body.Length == 0 ? null : $"status {status} documents no body, but one came ({mediaType})";
        }

        if (mediaType is null || !JsonTypes.Contains(mediaType) || !content.TryGetProperty(mediaType, out var media) || !media.TryGetProperty("schema", out var schemaJson))
        {
            return mediaType is not null && content.TryGetProperty(mediaType, out _) ? null : $"the body's type {mediaType} is not documented for status {status}";
        }

        var schema = _schemas.GetOrAdd((operation.Id, key), _ => Build(operation, key, schemaJson));
        using var instance = JsonDocument.Parse(body);
        return Failures(schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List }), 8) is { } failures
            ? $"the body does not match the documented schema: {failures}"
            : null;
    }

    /// <summary>Why <paramref name="json"/> does not match the component schema <paramref name="component"/> (null when it does).</summary>
    public string? CheckComponent(string component, string json)
    {
        var schema = Build($$"""{"$ref": "#/components/schemas/{{component}}"}""", $"components/{component}");
        using var instance = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // Every failure: in a oneOf or anyOf each alternative says why it did not match, and the one that matters may come last.
        return Failures(schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List }), int.MaxValue);
    }

    private static string? Failures(EvaluationResults result, int most)
    {
        if (result.IsValid)
        {
            return null;
        }

        var errors = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
            .Take(most);
        return string.Join("; ", errors);
    }

    private JsonSchema Build(Operation operation, string status, JsonElement schema) =>
        Build(schema.GetRawText(), $"{Uri.EscapeDataString(operation.Id)}/{status}");

    private JsonSchema Build(string schemaJson, string name)
    {
        var text = $$"""{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {{_definitions}}, "allOf": [{{Local(schemaJson)}}]}""";
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(text, options, new Uri($"https://leadscore.test/{name}"));
    }

    // The document's references point into components; in a standalone schema they point into $defs.
    private static string Local(string schemaJson) => schemaJson.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);

    private static Regex Pattern(string template) =>
        new("^" + ParameterPattern().Replace(Regex.Escape(template).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+") + "$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"\{[^}/]+\}")]
    private static partial Regex ParameterPattern();

    /// <summary>One operation of the document: its method, path template, id and responses.</summary>
    public sealed record Operation(string Method, string Template, string Id, Regex Pattern, JsonElement Responses)
    {
        public int LiteralSegments { get; } = Template.Split('/').Count(s => s.Length > 0 && !s.StartsWith('{'));
    }
}
