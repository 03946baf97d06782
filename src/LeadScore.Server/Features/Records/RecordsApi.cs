using System.Security.Claims;
using LeadScore.Engine.Model;
using LeadScore.Engine.Values;
using LeadScore.Server.Features.Models;
using LeadScore.Server.Features.Predictive;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using LeadScore.Storage.Rows;

namespace LeadScore.Server.Features.Records;

/// <summary>
/// Contacts, companies and deals: create, upsert, update, get, list, delete, erase, and their scores
/// and score history. A body is shaped like a line of <c>leadscore import</c>: <c>id</c>, links such
/// as <c>companyId</c>, and every other key a field.
/// </summary>
internal static class RecordsApi
{
    public static void MapRecordsApi(this RouteGroupBuilder api, ServerOptions options)
    {
        Map(api, RecordRoutes.Contacts, options);
        Map(api, RecordRoutes.Companies, options);
        Map(api, RecordRoutes.Deals, options);
    }

    private static void Map<T>(RouteGroupBuilder api, RecordRoute<T> route, ServerOptions options)
        where T : class
    {
        var group = api.MapGroup($"/{route.Plural}").WithTags(route.Plural);
        var read = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Read));
        var write = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Write));
        var admin = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Admin));

        read.MapGet("/", async Task<IResult> (ClaimsPrincipal user, ILeadStore store, int? limit, string? cursor, CancellationToken ct) =>
        {
            var page = await store.Records.ListRecordsAsync(user.Workspace(), route.Kind, cursor, limit ?? 100, ct);
            return page.Succeeded
                ? TypedResults.Ok(new PageResponse<RecordResponse>([.. page.Value.Items.Select(RecordResponse.From)], page.Value.NextCursor))
                : Problems.From(page.Error);
        }).WithName($"List{Pascal(route.Plural)}").Produces<PageResponse<RecordResponse>>()
          .WithSummary($"Lists {route.Plural} by id, a page at a time (limit 1 to 1,000, default 100; pass nextCursor as cursor)");

        read.MapGet("/{id}", async (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Records.GetRecordAsync(user.Workspace(), route.Kind, id, ct) is { } record
                ? TypedResults.Ok(RecordResponse.From(record))
                : NotFound(route, id))
            .WithName($"Get{Pascal(route.Noun)}").Produces<RecordResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary($"Gets one {route.Noun}");

        write.MapPost("/", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            using var body = await JsonBody.ReadRowsAsync(request, options.MaxSingleBodyBytes, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var row = JsonRow.Read(body.Document!.RootElement, 1);
            var id = row.Find("id") is { Value.IsMissing: false } cell ? cell.Value.Text : null;
            if (id is not null && await store.Records.GetRecordAsync(user.Workspace(), route.Kind, id, ct) is not null)
            {
                return Problems.Conflict($"{Title(route)} '{id}' already exists; PUT /api/v1/{route.Plural}/{id} updates it.", "exists");
            }

            return await WriteOneAsync(route, row, user.Workspace(), store, created: true, ct);
        }).Accepts(BodyType(route), "application/json").WithName($"Create{Pascal(route.Noun)}")
          .Produces<RecordResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
          .WithSummary($"Creates a {route.Noun}; 409 when the id exists");

        write.MapPut("/{id}", (string id, HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
                WriteAtAsync(route, id, request, user.Workspace(), store, options, mustExist: false, ct))
            .Accepts(BodyType(route), "application/json").WithName($"Upsert{Pascal(route.Noun)}")
            .Produces<RecordResponse>().Produces<RecordResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary($"Creates or updates a {route.Noun}: the fields sent replace those stored, the others stay");

        write.MapPatch("/{id}", (string id, HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
                WriteAtAsync(route, id, request, user.Workspace(), store, options, mustExist: true, ct))
            .Accepts(BodyType(route), "application/json").WithName($"Update{Pascal(route.Noun)}")
            .Produces<RecordResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary($"Updates fields of an existing {route.Noun}");

        write.MapPost("/batch", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            using var body = await JsonBody.ReadRowsAsync(request, options.MaxBatchBodyBytes, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var (batch, problem) = BatchItems<T>.Read(body.Document!.RootElement, route.Noun, route.Read, route.IdOf);
            if (problem is not null)
            {
                return problem;
            }

            var result = batch!.Items.Count == 0
                ? new WriteResult(0, [], 0)
                : await route.UpsertAsync(store, user.Workspace(), batch.Items, ct);
            return TypedResults.Ok(new WriteResponse(result.Written, result.Unchanged, result.Rescored, batch.AllRejections(result.Rejected)));
        }).Accepts(BodyType(route).MakeArrayType(), "application/json").WithName($"Upsert{Pascal(route.Plural)}").Produces<WriteResponse>()
          .WithSummary($"Creates or updates up to 10,000 {route.Plural}; each rejected item is listed with its position and reason");

        write.MapDelete("/{id}", async (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Records.DeleteRecordAsync(user.Workspace(), route.Kind, id, ct) ? TypedResults.NoContent() : NotFound(route, id))
            .WithName($"Delete{Pascal(route.Noun)}").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary($"Deletes a {route.Noun} and its current scores; its events and history stay for reports");

        admin.MapPost("/{id}/erase", async (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Records.EraseRecordAsync(user.Workspace(), route.Kind, id, ct) is { } erased ? TypedResults.Ok(erased) : NotFound(route, id))
            .WithName($"Erase{Pascal(route.Noun)}").Produces<ErasedRecord>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary($"Erases a {route.Noun} for good, with its events, scores, history, adjustments and outcomes (right to be forgotten)");

        read.MapGet("/{id}/scores", async (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var workspace = user.Workspace();
            if (await store.Records.GetRecordAsync(workspace, route.Kind, id, ct) is null)
            {
                return NotFound(route, id);
            }

            var scores = new List<ScoreResponse>();
            foreach (var model in await PublishedModels.ListAsync(store, workspace, route.Kind, ct))
            {
                if (await store.Scores.GetScoreAsync(workspace, model.Key, route.Kind, id, ct) is { } score)
                {
                    scores.Add(ScoreResponse.From(score));
                }
            }

            var prediction = route.Kind == RecordKind.Contact ? PredictionResponse.From(await store.Predictive.GetPredictionAsync(workspace, id, ct)) : null;
            var pending = route.Kind == RecordKind.Contact && prediction is null && (await store.Predictive.ListPredictiveModelsAsync(workspace, ct)).Count == 0
                ? PredictionPendingResponse.NotTrained(await store.Outcomes.CountConversionsAsync(workspace, ct))
                : null;
            return TypedResults.Ok(new RecordScoresResponse(id, scores, prediction) { PredictionPending = pending });
        }).WithName($"Get{Pascal(route.Noun)}Scores").Produces<RecordScoresResponse>().ProducesProblem(StatusCodes.Status404NotFound)
          .WithSummary($"The {route.Noun}'s current score under every published model, with its explanation, and a contact's prediction");

        read.MapGet("/{id}/history", async (string id, string? model, DateTimeOffset? at, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var workspace = user.Workspace();
            var (key, problem) = await PublishedModels.ResolveAsync(store, workspace, model, route.Kind, $"scores {route.Plural}", ct);
            if (key is null)
            {
                return problem!;
            }

            if (at is { } instant)
            {
                var entry = await store.Scores.GetScoreAtAsync(workspace, key, route.Kind, id, instant, ct);
                return entry is null
                    ? Problems.NotFound($"{Title(route)} '{id}' had no score under '{key}' at {instant:O}.", "no-score")
                    : TypedResults.Ok(HistoryResponse.From(entry));
            }

            var history = await store.Scores.GetHistoryAsync(workspace, key, route.Kind, id, ct);
            return TypedResults.Ok(new ScoreHistoryResponse(id, key, [.. history.Select(HistoryResponse.From)]));
        }).WithName($"Get{Pascal(route.Noun)}History").Produces<ScoreHistoryResponse>().ProducesProblem(StatusCodes.Status404NotFound)
          .AddOpenApiOperationTransformer(ApiOperations.OneOfResponse<HistoryResponse>(StatusCodes.Status200OK))
          .WithSummary($"The {route.Noun}'s score over time with the cause of each change; ?at=T gives the score at an instant");
    }

    /// <summary>PUT (creates or updates) and PATCH (updates only): the body, with the URL's id, written as one record.</summary>
    private static async Task<IResult> WriteAtAsync<T>(
        RecordRoute<T> route, string id, HttpRequest request, WorkspaceId workspace, ILeadStore store, ServerOptions options, bool mustExist, CancellationToken ct)
        where T : class
    {
        using var body = await JsonBody.ReadRowsAsync(request, options.MaxSingleBodyBytes, ct);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var row = WithId(JsonRow.Read(body.Document!.RootElement, 1), id, out var problem);
        if (problem is not null)
        {
            return problem;
        }

        var existed = await store.Records.GetRecordAsync(workspace, route.Kind, id, ct) is not null;
        if (mustExist && !existed)
        {
            return NotFound(route, id);
        }

        return await WriteOneAsync(route, row, workspace, store, created: !existed, ct);
    }

    private static async Task<IResult> WriteOneAsync<T>(RecordRoute<T> route, SourceRow row, WorkspaceId workspace, ILeadStore store, bool created, CancellationToken ct)
        where T : class
    {
        var batch = BatchItems<T>.ReadOne(row, route.Read);
        if (batch.Rejected.Count > 0)
        {
            return Problems.NotStored(route.Noun, batch.Rejected[0], "invalid-record");
        }

        var result = await route.UpsertAsync(store, workspace, batch.Items, ct);
        if (result.Rejected.Length > 0)
        {
            return Problems.NotStored(route.Noun, result.Rejected[0], "invalid-record");
        }

        var stored = await store.Records.GetRecordAsync(workspace, route.Kind, route.IdOf(batch.Items[0]), ct);
        var response = RecordResponse.From(stored!);
        return created ? TypedResults.Created($"/api/v1/{route.Plural}/{Uri.EscapeDataString(response.Id)}", response) : TypedResults.Ok(response);
    }

    private static SourceRow WithId(SourceRow row, string id, out IResult? problem)
    {
        problem = null;
        if (row.Error is not null)
        {
            return row;
        }

        if (row.Find("id") is { Value.IsMissing: false } cell)
        {
            if (cell.Value.Text != id)
            {
                problem = Problems.BadRequest($"The body's id '{cell.Value.Text}' differs from the URL's '{id}'; leave it out or make them equal.", "id-mismatch");
            }

            return row;
        }

        return row with { Cells = [new SourceCell("id", FieldValue.FromText(id)), .. row.Cells] };
    }

    /// <summary>The documented shape of a body of this kind (the handlers read it as an import line).</summary>
    private static Type BodyType<T>(RecordRoute<T> route)
        where T : class => route.Kind switch
        {
            RecordKind.Contact => typeof(ContactBody),
            RecordKind.Company => typeof(CompanyBody),
            RecordKind.Deal => typeof(DealBody),
            _ => throw new ArgumentOutOfRangeException(nameof(route), route.Kind, null),
        };

    private static string Pascal(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static IResult NotFound<T>(RecordRoute<T> route, string id)
        where T : class => Problems.NotFound($"There is no {route.Noun} '{id}' in this workspace.", $"unknown-{route.Noun}");

    private static string Title<T>(RecordRoute<T> route)
        where T : class => char.ToUpperInvariant(route.Noun[0]) + route.Noun[1..];
}
