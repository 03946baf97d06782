using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LeadScore.Server.Http;

/// <summary>
/// Titles the OpenAPI document, declares the bearer API key on the <c>/api/v1</c> operations only (the
/// probes, the snippet and the email links need none), documents the answers any call and every keyed
/// call can get, so that a typed client knows each status and that every error is an RFC 9457 problem,
/// and puts in the schemas ApiSchemas left to be filled (<see cref="SchemaPlaceholder"/>).
/// </summary>
internal sealed class ApiDocument : IOpenApiDocumentTransformer
{
    public const string ProblemSchema = "Problem";

    private const string KeyedPrefix = "/api/v1/";

    // Why any call can be refused before its handler runs (the URL guard and the rate limiter see every request),
    // why a keyed call can be, and why a body can be.
    private static readonly (string Status, string Description)[] EveryAnswers =
    [
        ("400", "A query or URL value that is not valid (a bad limit or cursor, text that cannot be stored)"),
        ("429", "The rate limit of the key or, for a request without one, of the client address; Retry-After says when to try again"),
    ];

    private static readonly (string Status, string Description)[] KeyedAnswers =
    [
        ("401", "No key, a malformed Authorization header, or an unknown or revoked key"),
        ("403", "The key's scope is not enough"),
    ];

    private static readonly (string Status, string Description)[] BodyAnswers =
    [
        ("400", "The body is not valid JSON, or a value in it is not valid"),
        ("413", "The body is larger than the endpoint's limit, or a batch has more than 10,000 items"),
        ("415", "The body is not sent as application/json"),
    ];

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["contacts"] = "People: upsert, read, erase, their scores, history, activity and adjustments",
        ["companies"] = "Accounts the contacts belong to",
        ["deals"] = "Opportunities, linked to a contact and a company",
        ["events"] = "Activity in: one event or a batch, each re-scoring its contact",
        ["leads"] = "The ranked list sales works from",
        ["models"] = "Scoring models: drafts, validation, publishing, archiving",
        ["reviews"] = "The monthly review of a model and the backtest of a draft",
        ["outcomes"] = "What really happened: conversions, deals won and lost",
        ["jobs"] = "Long-running work and its progress",
        ["keys"] = "The workspace's API keys",
        ["automations"] = "Automations, their runs and their webhook deliveries",
        ["tracking"] = "The website snippet, email tracking and site keys",
        ["segment"] = "The Segment HTTP Tracking API's endpoints (/v1/*) for Segment's and RudderStack's SDKs, HTTP sources and webhook destinations",
        ["sources"] = "Sources (write keys for Segment and RudderStack), the versioned event mapping and the event names seen",
        ["predictive"] = "The predictive model: training, versions, settings",
        ["health"] = "Probes for a load balancer or orchestrator",
    };

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "LeadScore API",
            Version = "v1",
            Description = "Lead scoring by fit and engagement. Every /api/v1 call needs 'Authorization: Bearer <api key>'; errors are RFC 9457 problems.",
        };

        // The server's own address, as the request reached it; a trailing slash would double the paths' first one.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key: 'leadscore apikey create' prints one.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();

        await FillPlaceholdersAsync(document, context, cancellationToken);

        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            tag.Description ??= tag.Name is { } name ? TagDescriptions.GetValueOrDefault(name) : null;
        }

        // The key is asked for where it is needed, not document-wide: a public operation says so with an empty list.
        document.Security = null;
        foreach (var (path, item) in document.Paths)
        {
            foreach (var operation in item.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            {
                var keyed = path.StartsWith(KeyedPrefix, StringComparison.Ordinal);
                operation.Security = keyed ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] }] : [];
                operation.Responses ??= [];
                if (operation.RequestBody is not null)
                {
                    AddMissing(operation.Responses, BodyAnswers);
                }

                AddMissing(operation.Responses, EveryAnswers);
                if (keyed)
                {
                    AddMissing(operation.Responses, KeyedAnswers);
                }

                foreach (var status in operation.Responses.Keys.Where(s => s[0] is '4' or '5').ToList())
                {
                    operation.Responses[status] = AsProblem(operation.Responses[status], document);
                }
            }
        }

        // ASP.NET Core's own problem schemas are replaced by ours, which has the code and the extensions.
        document.Components.Schemas.Remove("ProblemDetails");
        document.Components.Schemas.Remove("HttpValidationProblemDetails");
    }

    /// <summary>
    /// Puts in each <see cref="SchemaPlaceholder"/> ApiSchemas left the schema of its type: a reference to the type's
    /// component, made here when no operation made it (a map's schema goes in as it is).
    /// </summary>
    private static async Task FillPlaceholdersAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var components = document.Components!.Schemas!;
        var operations = document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>());
        var bodies = operations.SelectMany(o => (o.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>())
            .Concat((o.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>()).SelectMany(r => r.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>())));
        var pending = new Stack<IOpenApiSchema>(components.Values.Concat(bodies.Select(b => b.Schema).OfType<IOpenApiSchema>()));
        while (pending.TryPop(out var schema))
        {
            if (schema is not OpenApiSchema walked)
            {
                continue;
            }

            foreach (var (name, property) in walked.Properties?.ToList() ?? [])
            {
                if (SchemaPlaceholder.TypeOf(property) is { } type)
                {
                    walked.Properties![name] = await SchemaOfAsync(type, property.Description);
                }
            }

            if (walked.Items is { } items && SchemaPlaceholder.TypeOf(items) is { } itemType)
            {
                walked.Items = await SchemaOfAsync(itemType, null);
            }

            for (var i = 0; i < (walked.AnyOf?.Count ?? 0); i++)
            {
                if (SchemaPlaceholder.TypeOf(walked.AnyOf![i]) is { } kind)
                {
                    walked.AnyOf[i] = await SchemaOfAsync(kind, null);
                }
            }

            foreach (var inner in Inner(walked))
            {
                pending.Push(inner);
            }
        }

        async Task<IOpenApiSchema> SchemaOfAsync(Type type, string? description)
        {
            var name = SchemaPlaceholder.ComponentName(type);
            if (!components.ContainsKey(name))
            {
                var made = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
                AllowNulls(made);
                pending.Push(made);
                if (typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
                {
                    // A map or a list, not a type of its own.
                    return made;
                }

                components[name] = made;
            }

            return new OpenApiSchemaReference(name, document) { Description = description };
        }
    }

    /// <summary>In a schema made whole (not by reference), a nullable object property allows null itself.</summary>
    private static void AllowNulls(OpenApiSchema schema)
    {
        foreach (var inner in Inner(schema).OfType<OpenApiSchema>())
        {
            if (inner.Metadata?.TryGetValue(ApiSchemas.NullableReference, out var nullable) == true && nullable is true)
            {
                inner.Type |= JsonSchemaType.Null;
            }

            AllowNulls(inner);
        }
    }

    private static IEnumerable<IOpenApiSchema> Inner(OpenApiSchema schema) =>
        (schema.Properties?.Values ?? Enumerable.Empty<IOpenApiSchema>())
            .Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.AllOf ?? [])
            .Concat(new[] { schema.Items, schema.AdditionalProperties }.OfType<IOpenApiSchema>());

    private static void AddMissing(OpenApiResponses responses, (string Status, string Description)[] answers)
    {
        foreach (var (status, description) in answers)
        {
            if (!responses.ContainsKey(status))
            {
                responses[status] = new OpenApiResponse { Description = description };
            }
        }
    }

    private static OpenApiResponse AsProblem(IOpenApiResponse response, OpenApiDocument document) => new()
    {
        Description = string.IsNullOrEmpty(response.Description) ? "An error" : response.Description,
        Headers = response.Headers,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
        },
    };

    /// <summary>RFC 9457 with our extensions: a stable code, the trace id, and the JSON path or every error where one applies.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem: match on code; detail says what was wrong, where and how to fix it.",
        Required = new HashSet<string> { "type", "title", "status", "detail", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The RFC section that defines the status" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A stable word to match on, such as unknown-contact or rate-limited" },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Also in the server log" },
            ["path"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The JSON path of the one value at fault" },
            ["errors"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Diagnostic(), Description = "An invalid model's or automation's every error" },
            ["warnings"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Diagnostic() },
        },
    };

    private static OpenApiSchema Diagnostic() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["path"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };
}
