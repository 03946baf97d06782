using System.Security.Claims;
using System.Text.Json;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Server.Features.Jobs;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Server.Workers;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Models;

/// <summary>
/// Scoring models: saved as drafts (every save a new version, never overwritten), validated with the
/// CLI's errors and warnings, published (which queues the bulk re-score job), archived.
/// </summary>
internal static class ModelsApi
{
    public static void MapModelsApi(this RouteGroupBuilder api, ServerOptions options)
    {
        var group = api.MapGroup("/models").WithTags("models");
        var read = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Read));
        var write = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Write));
        var admin = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Admin));

        write.MapPost("/", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var json = await ReadModelTextAsync(request, options, ct);
            if (json.Problem is not null)
            {
                return json.Problem;
            }

            var saved = await store.Models.SaveModelAsync(user.Workspace(), json.Text!, ct);
            if (saved.Version is not { } version)
            {
                return Invalid(saved.Validation);
            }

            return TypedResults.Created($"/api/v1/models/{version.Key}/versions/{version.Version}", new SavedModelResponse(VersionResponse.From(version), saved.Validation.Warnings));
        }).Accepts<ModelDocument>("application/json").WithName("SaveModel")
          .Produces<SavedModelResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
          .WithSummary("Saves a model (the JSON of docs/scoring-model.md) as a new draft version; 422 with every error and its JSON path when invalid");

        read.MapGet("/", async (ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var versions = await store.Models.GetModelVersionsAsync(user.Workspace(), null, ct);
            var models = versions.GroupBy(v => v.Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new ModelSummaryResponse(
                g.Key,
                g.Last().Target,
                g.FirstOrDefault(v => v.Status == ModelStatus.Published)?.Version,
                g.Max(v => v.Version),
                g.All(v => v.Status == ModelStatus.Archived),
                [.. g.Select(VersionResponse.From)]));
            return TypedResults.Ok(new ModelsResponse([.. models]));
        }).WithName("ListModels").Produces<ModelsResponse>().WithSummary("Lists the models with their versions and which one is published");

        read.MapGet("/{key}", async (string key, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var versions = await store.Models.GetModelVersionsAsync(user.Workspace(), key, ct);
            return versions.Count == 0
                ? UnknownModel(key)
                : TypedResults.Ok(new ModelVersionsResponse(key, [.. versions.Select(VersionResponse.From)]));
        }).WithName("GetModel").Produces<ModelVersionsResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Lists the versions of one model");

        read.MapGet("/{key}/versions/{version:int}", async Task<IResult> (string key, int version, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var found = (await store.Models.GetModelVersionsAsync(user.Workspace(), key, ct)).FirstOrDefault(v => v.Version == version);
            return found is null
                ? Problems.NotFound($"Model '{key}' has no version {version}.", "unknown-model")
                : TypedResults.Ok(new ModelDefinitionResponse(VersionResponse.From(found), JsonSerializer.Deserialize<JsonElement>(found.Definition)));
        }).WithName("GetModelVersion").Produces<ModelDefinitionResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Gets one version with its definition");

        read.MapPost("/{key}/validate", async (string key, HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            string text;
            if (request.ContentLength is 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
            {
                var latest = (await store.Models.GetModelVersionsAsync(user.Workspace(), key, ct)).LastOrDefault();
                if (latest is null)
                {
                    return UnknownModel(key);
                }

                text = latest.Definition;
            }
            else
            {
                var json = await ReadModelTextAsync(request, options, ct);
                if (json.Problem is not null)
                {
                    return json.Problem;
                }

                text = json.Text!;
            }

            var validation = ScoringModelJson.Parse(text);
            if (validation.Model is { } model && model.Key != key)
            {
                return Problems.BadRequest($"The body is model '{model.Key}', the URL names '{key}'; make them equal.", "key-mismatch");
            }

            return TypedResults.Ok(new ValidationResponse(validation.IsValid, validation.Errors, validation.Warnings));
        }).Accepts<ModelDocument>(isOptional: true, "application/json").WithName("ValidateModel")
          .Produces<ValidationResponse>().ProducesProblem(StatusCodes.Status404NotFound)
          .WithSummary("Validates the model in the body (or, with no body, the newest saved version): errors with JSON paths, and warnings");

        admin.MapPost("/{key}/publish", async Task<IResult> (string key, int? version, ClaimsPrincipal user, ILeadStore store, JobSignal jobs, CancellationToken ct) =>
        {
            var published = await store.Models.PublishModelAsync(user.Workspace(), key, version, ct);
            if (!published.Succeeded)
            {
                return Problems.From(published.Error);
            }

            jobs.Wake();
            return TypedResults.Accepted($"/api/v1/jobs/{published.Value.Id}", JobResponse.From(published.Value));
        }).WithName("PublishModel").Produces<JobResponse>(StatusCodes.Status202Accepted)
          .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
          .WithSummary("Publishes a version (the newest when ?version is not given) and starts re-scoring every record; returns the job");

        admin.MapPost("/{key}/archive", async Task<IResult> (string key, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var archived = await store.Models.ArchiveModelAsync(user.Workspace(), key, ct);
            return archived.Succeeded
                ? TypedResults.Ok(new ModelVersionsResponse(key, [.. archived.Value.Select(VersionResponse.From)]))
                : Problems.From(archived.Error);
        }).WithName("ArchiveModel").Produces<ModelVersionsResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Archives a model: it stops scoring and its current scores go; versions and history stay");
    }

    internal static async Task<(string? Text, IResult? Problem)> ReadModelTextAsync(HttpRequest request, ServerOptions options, CancellationToken ct)
    {
        // Parsed first so a malformed body gets the API's JSON error; the engine then reads the text itself.
        using var body = await JsonBody.ReadAsync(request, options.MaxSingleBodyBytes, ct);
        return body.Problem is not null ? (null, body.Problem) : (body.Document!.RootElement.GetRawText(), null);
    }

    private static IResult Invalid(ModelValidation validation) => Problems.Unprocessable(
        $"The model has {validation.Errors.Length} error(s); the first: {validation.Errors[0]}. Nothing was saved.",
        "invalid-model",
        new Dictionary<string, object?> { ["errors"] = validation.Errors, ["warnings"] = validation.Warnings });

    private static IResult UnknownModel(string key) =>
        Problems.NotFound($"There is no model '{key}' in this workspace; POST /api/v1/models saves one.", "unknown-model");
}

internal sealed record VersionResponse(string Key, int Version, ModelStatus Status, RecordKind Target, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt)
{
    public static VersionResponse From(ModelVersion v) => new(v.Key, v.Version, v.Status, v.Target, v.CreatedAt, v.PublishedAt);
}
