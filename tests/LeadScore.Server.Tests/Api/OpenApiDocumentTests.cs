using System.Text.Json;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Tests;

namespace LeadScore.Server.Tests.Api;

/// <summary>
/// The served OpenAPI document as a client generator and a linter read it. It does not depend on the
/// database, so it is checked once, on SQLite.
/// </summary>
public sealed class OpenApiDocumentTests
{
    // The URL guard and the rate limiter (per key, or per client address without one) see every request.
    private static readonly string[] EveryAnswers = ["400", "429"];
    private static readonly string[] KeyedAnswers = ["401", "403"];
    private static readonly string[] BodyAnswers = ["400", "413"];

    // The warnings of Redocly's recommended rules the document keeps, because following the rule would make it
    // say something untrue. Any other warning fails the lint test.
    private static readonly (string Rule, string Pointer)[] AcceptedWarnings =
    [
        // The repository names no licence for LeadScore, and the document does not invent one.
        ("info-license", "#/info"),

        // A tracked email link answers with its redirect (302 to the link's address); no 2xx exists to document.
        ("operation-2xx-response", "#/paths/~1t~1c~1{token}/get/responses"),
    ];

    // Bodies and answers whose JSON is open on purpose ("METHOD /path status-or-body (media type)" and the path
    // within it, as the free-form test names them), with why. None is: a record's fields and an event's properties
    // are maps whose values are typed (FieldScalar), and the model, automation, review and webhook payload that
    // the server passes on as written are documented by the types that describe them (DocumentedAs).
    private static readonly string[] OpenOnPurpose = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenApi_PassesRedoclysRecommendedRules_WarningsOnlyWhereTheDocumentIsRight()
    {
        var tools = Repository.File("tests/tools");
        var npx = ToolProcess.Find("npx");
        npx.ShouldNotBeNull("Linting the OpenAPI document needs node 20 and npm: 'apt-get install -y nodejs npm' (test.sh does it when run as root), then 'npm ci' in tests/tools.");
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "@redocly", "cli")))
        {
            var install = await ToolProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tools, TimeSpan.FromMinutes(5), Ct);
            install.ExitCode.ShouldBe(0, $"'npm ci' in tests/tools failed:\n{install.Output}");
        }

        var file = Path.Combine(Path.GetTempPath(), $"leadscore-openapi-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(file, await ServedDocumentAsync(), Ct);

            var lint = await ToolProcess.RunAsync("npx", ["--no-install", "redocly", "lint", "--extends", "recommended", "--format", "json", file], tools, TimeSpan.FromMinutes(2), Ct);

            lint.ExitCode.ShouldBe(0, $"Redocly's recommended rules found errors in /openapi/v1.json:\n{lint.Output}");
            using var report = JsonDocument.Parse(lint.StandardOutput);
            var warnings = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => (Rule: p.GetProperty("ruleId").GetString()!, Pointer: p.GetProperty("location")[0].GetProperty("pointer").GetString()!, Message: p.GetProperty("message").GetString()))
                .ToList();
            warnings.Where(w => !AcceptedWarnings.Contains((w.Rule, w.Pointer))).ShouldBeEmpty("Redocly's recommended rules warn about /openapi/v1.json");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task OpenApi_EveryOperationHasAUniqueIdASuccessSchemaAndItsErrorsAsProblems()
    {
        using var document = JsonDocument.Parse(await ServedDocumentAsync());

        var operations = Operations(document).ToList();

        operations.Count.ShouldBeGreaterThan(60);
        var ids = operations.Select(o => o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : null).ToList();
        ids.ShouldAllBe(id => !string.IsNullOrEmpty(id));
        ids.Distinct().Count().ShouldBe(ids.Count, "operationIds are unique");
        foreach (var (method, path, operation) in operations)
        {
            var responses = operation.GetProperty("responses");
            // A tracked link's success is its redirect.
            var successes = responses.EnumerateObject().Where(r => r.Name[0] is '2' or '3').ToList();
            successes.ShouldNotBeEmpty($"{method} {path} documents no success");
            foreach (var success in successes.Where(s => s.Name is not ("204" or "302")))
            {
                success.Value.TryGetProperty("content", out var content).ShouldBeTrue($"{method} {path} {success.Name} documents no body");
                content.EnumerateObject().Where(media => !media.Value.TryGetProperty("schema", out _)).ShouldBeEmpty($"{method} {path} {success.Name} documents no schema");
            }

            foreach (var error in responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                error.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()
                    .ShouldBe("#/components/schemas/Problem", $"{method} {path} {error.Name}");
            }

            EveryAnswers.Where(status => !responses.TryGetProperty(status, out _)).ShouldBeEmpty($"{method} {path} leaves out");
            var keyed = path.StartsWith("/api/v1/", StringComparison.Ordinal);
            if (keyed)
            {
                KeyedAnswers.Where(status => !responses.TryGetProperty(status, out _)).ShouldBeEmpty($"{method} {path} leaves out");
            }

            if (operation.TryGetProperty("requestBody", out var body))
            {
                BodyAnswers.Where(status => !responses.TryGetProperty(status, out _)).ShouldBeEmpty($"{method} {path} leaves out");
                body.GetProperty("content").EnumerateObject().ShouldAllBe(media => IsDescribed(document, media.Value.GetProperty("schema")), $"{method} {path}'s body");
            }

            foreach (var parameter in operation.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : [])
            {
                var type = parameter.GetProperty("schema").TryGetProperty("type", out var t) ? t.ToString() : "";
                type.ShouldNotContain("\"string\"", Case.Sensitive, $"{method} {path} ?{parameter.GetProperty("name")}: a number is not also text");
            }
        }
    }

    [Fact]
    public async Task OpenApi_AsksForTheKeyOnApiV1AndNotOnTheProbesTheSnippetOrEmailLinks()
    {
        using var document = JsonDocument.Parse(await ServedDocumentAsync());

        var operations = Operations(document).ToList();

        document.RootElement.TryGetProperty("security", out _).ShouldBeFalse("the key is asked for per operation");
        foreach (var (method, path, operation) in operations)
        {
            var security = operation.GetProperty("security");
            if (path.StartsWith("/api/v1/", StringComparison.Ordinal))
            {
                security.EnumerateArray().Single().TryGetProperty("apiKey", out _).ShouldBeTrue($"{method} {path}");
            }
            else
            {
                security.GetArrayLength().ShouldBe(0, $"{method} {path} is public");
            }
        }

        operations.Select(o => o.Path).ShouldContain("/healthz");
        operations.Select(o => o.Path).ShouldContain("/t.js");
        operations.Select(o => o.Path).ShouldContain("/t/collect");
    }

    [Fact]
    public async Task SchemaCheck_RefusesAnAnswerThatDoesNotMatchItsOperation()
    {
        var checker = OpenApiResponses.Parse(await ServedDocumentAsync());
        var job = checker.Find("GET", "/api/v1/jobs/7").ShouldNotBeNull();
        const string Good = """{"id": 7, "kind": "rescore", "model": "m", "version": 1, "state": "completed", "done": 3, "total": 3, "progress": 1}""";

        var good = checker.Check(job, 200, "application/json", Good);
        var wrongType = checker.Check(job, 200, "application/json", Good.Replace("\"done\": 3", "\"done\": \"3\"", StringComparison.Ordinal));
        var missing = checker.Check(job, 200, "application/json", Good.Replace("\"state\": \"completed\", ", "", StringComparison.Ordinal));
        var wrongStatus = checker.Check(job, 201, "application/json", Good);

        good.ShouldBeNull();
        wrongType.ShouldNotBeNull().ShouldContain("/done");
        missing.ShouldNotBeNull().ShouldContain("state");
        wrongStatus.ShouldNotBeNull().ShouldContain("201");
        checker.Find("POST", "/api/v1/contacts/batch").ShouldNotBeNull().Id.ShouldBe("UpsertContacts");
    }

    [Fact]
    public async Task OpenApi_NoBodyOrSuccessAnswerHoldsAnUntypedObject()
    {
        using var document = JsonDocument.Parse(await ServedDocumentAsync());
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        var untyped = new List<string>();
        foreach (var (method, path, operation) in Operations(document))
        {
            var bodies = operation.TryGetProperty("requestBody", out var body) ? body.GetProperty("content").EnumerateObject().Select(m => ("body", m)) : [];
            var answers = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] == '2' && r.Value.TryGetProperty("content", out _))
                .SelectMany(r => r.Value.GetProperty("content").EnumerateObject().Select(m => (r.Name, m)));
            foreach (var (what, media) in bodies.Concat(answers))
            {
                FindUntyped(schemas, media.Value.GetProperty("schema"), $"{method.ToUpperInvariant()} {path} {what} ({media.Name})", [], untyped);
            }
        }

        untyped.Except(OpenOnPurpose).ShouldBeEmpty("these bodies and answers hold an object the document says nothing of (a JsonElement, JsonNode or Dictionary<string, object>): document it with a type (DocumentedAs, a shape record), or list it in OpenOnPurpose saying why");
    }

    [Fact]
    public async Task OpenApi_ModelAndAutomationSchemas_TakeTheExamplesAndRefuseUnknownPropertiesAndNulls()
    {
        var checker = OpenApiResponses.Parse(await ServedDocumentAsync());
        var models = Directory.GetFiles(Repository.File("examples/models"), "*.json");
        var automations = Directory.GetFiles(Repository.File("examples/automations"), "*.json");

        var modelFailures = models.Select(f => (Name: Path.GetFileName(f), Failure: checker.CheckComponent("ModelDocument", File.ReadAllText(f)))).Where(r => r.Failure is not null);
        var automationFailures = automations.Select(f => (Name: Path.GetFileName(f), Failure: checker.CheckComponent("AutomationDocument", File.ReadAllText(f)))).Where(r => r.Failure is not null);
        var misspelt = checker.CheckComponent("ModelDocument", """{"key": "m", "categories": [{"key": "fit", "dimension": "fit", "budget": 50}], "rules": [{"key": "r", "category": "fit", "points": 5, "when": {"field": "country", "eq": "US"}, "maxpoints": 5}]}""");
        var wrongAction = checker.CheckComponent("AutomationDocument", """{"name": "a", "trigger": {"type": "event-received", "eventType": "demo"}, "actions": [{"type": "add-tag", "tag": "hot", "url": "https://example.com"}]}""");
        var nullName = checker.CheckComponent("ModelDocument", """{"key": "m", "name": null, "categories": [{"key": "fit", "dimension": "fit", "budget": 50}], "rules": []}""");

        models.ShouldNotBeEmpty();
        automations.ShouldNotBeEmpty();
        modelFailures.ShouldBeEmpty("examples/models");
        automationFailures.ShouldBeEmpty("examples/automations");
        misspelt.ShouldNotBeNull().ShouldContain("maxpoints");
        wrongAction.ShouldNotBeNull().ShouldContain("url");
        nullName.ShouldNotBeNull().ShouldContain("/name");
    }

    private static async Task<string> ServedDocumentAsync()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = server.ClientWith(null);
        return await anonymous.GetStringAsync("/openapi/v1.json", Ct);
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonDocument document) =>
        from path in document.RootElement.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where method.Value.ValueKind == JsonValueKind.Object && method.Value.TryGetProperty("responses", out _)
        select (method.Name, path.Name, method.Value);

    /// <summary>
    /// Adds to <paramref name="found"/> where, within <paramref name="schema"/> (through references, lists, maps and
    /// every property), an object is left untyped: no properties, no typed values, no alternatives.
    /// </summary>
    private static void FindUntyped(JsonElement schemas, JsonElement schema, string where, HashSet<string> seen, List<string> found)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/components/schemas/".Length..];
            if (seen.Add(name))
            {
                FindUntyped(schemas, schemas.GetProperty(name), $"{where} > {name}", seen, found);
            }

            return;
        }

        var alternatives = new[] { "oneOf", "anyOf", "allOf" }.SelectMany(k => schema.TryGetProperty(k, out var list) ? list.EnumerateArray() : []).ToList();
        var properties = schema.TryGetProperty("properties", out var named) ? named.EnumerateObject().ToList() : [];
        var values = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object && additional.EnumerateObject().Any()
            ? additional
            : (JsonElement?)null;
        var items = schema.TryGetProperty("items", out var item) ? item : (JsonElement?)null;
        var type = schema.TryGetProperty("type", out var t) ? t.ToString() : null;
        if (alternatives.Count == 0 && properties.Count == 0 && values is null && items is null && !schema.TryGetProperty("enum", out _)
            && (type is null || type.Contains("object", StringComparison.Ordinal)))
        {
            found.Add(where);
            return;
        }

        foreach (var alternative in alternatives)
        {
            FindUntyped(schemas, alternative, where, seen, found);
        }

        foreach (var property in properties)
        {
            FindUntyped(schemas, property.Value, $"{where} .{property.Name}", seen, found);
        }

        if (values is { } map)
        {
            FindUntyped(schemas, map, $"{where} {{*}}", seen, found);
        }

        if (items is { } list)
        {
            FindUntyped(schemas, list, $"{where} []", seen, found);
        }
    }

    /// <summary>A schema that says something: a reference to a component with properties, or a oneOf of such.</summary>
    private static bool IsDescribed(JsonDocument document, JsonElement schema)
    {
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            return oneOf.EnumerateArray().All(s => IsDescribed(document, s));
        }

        if (schema.TryGetProperty("items", out var items))
        {
            return IsDescribed(document, items);
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/components/schemas/".Length..];
            var target = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);
            return IsDescribed(document, target);
        }

        return schema.TryGetProperty("properties", out var properties) && properties.EnumerateObject().Any();
    }
}
