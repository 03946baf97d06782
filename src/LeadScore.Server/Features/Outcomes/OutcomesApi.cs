using System.Security.Claims;
using System.Text.Json;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using LeadScore.Storage.Rows;

namespace LeadScore.Server.Features.Outcomes;

/// <summary>What really happened (a contact converted, a deal won or lost), and manual score adjustments.</summary>
internal static class OutcomesApi
{
    public static void MapOutcomesApi(this RouteGroupBuilder api, ServerOptions options)
    {
        api.MapPost("/outcomes", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            using var body = await JsonBody.ReadRowsAsync(request, options.MaxBatchBodyBytes, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            // One outcome object, or an array of them, shaped like the lines of 'leadscore import outcomes'.
            var root = body.Document!.RootElement;
            var (batch, problem) = root.ValueKind == JsonValueKind.Object
                ? (BatchItems<OutcomeInput>.ReadOne(JsonRow.Read(root, 1), InputRows.Outcome), null)
                : BatchItems<OutcomeInput>.Read(root, "outcome", InputRows.Outcome, null);
            if (problem is not null)
            {
                return problem;
            }

            var result = batch!.Items.Count == 0 ? new WriteResult(0, [], 0) : await store.Outcomes.RecordOutcomesAsync(user.Workspace(), batch.Items, ct);
            var rejected = batch.AllRejections(result.Rejected);
            if (root.ValueKind == JsonValueKind.Object && rejected.Length > 0)
            {
                return Problems.NotStored("outcome", rejected[0], "invalid-outcome");
            }

            return TypedResults.Ok(new WriteResponse(result.Written, result.Unchanged, result.Rescored, rejected));
        }).WithTags("outcomes").AddEndpointFilter(new RequireScope(ApiKeyScope.Write))
          .Accepts<OutcomeBody>("application/json").AddOpenApiOperationTransformer(ApiOperations.OneOrMany())
          .WithName("RecordOutcomes").Produces<WriteResponse>().ProducesProblem(StatusCodes.Status422UnprocessableEntity)
          .WithSummary("Records outcomes: {record: contact|deal, id, outcome: converted|won|lost, occurredAt, amount}, one object or an array");

        api.MapPost("/contacts/{id}/adjustments", async (string id, HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var bound = await JsonBody.ReadAsync<AdjustmentBody>(request, options.MaxSingleBodyBytes, "{model, category, points, reason, expiresAt (optional)}", ct);
            if (bound.Value is not { } adjustment)
            {
                return bound.Problem!;
            }

            var added = await store.Scores.AddAdjustmentAsync(
                user.Workspace(),
                new AdjustmentInput(id, adjustment.Model, adjustment.Category, adjustment.Points, adjustment.Reason, adjustment.ExpiresAt),
                ct);
            return added.Succeeded
                ? TypedResults.Created($"/api/v1/contacts/{Uri.EscapeDataString(id)}/scores", ScoreResponse.From(added.Value))
                : Problems.From(added.Error);
        }).WithTags("contacts").AddEndpointFilter(new RequireScope(ApiKeyScope.Write))
          .Accepts<AdjustmentBody>("application/json").WithName("AdjustContactScore")
          .Produces<ScoreResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
          .WithSummary("Adds points to (or removes them from) a contact's category under a model, with a reason and optional expiry; returns the new score");
    }
}

/// <summary>
/// An outcome as a client sends it, for the OpenAPI document only (the handler reads it as a line of
/// 'leadscore import outcomes'): record is contact (the default) or deal; outcome is converted for a
/// contact, won or lost for a deal.
/// </summary>
internal sealed record OutcomeBody(string Id, string Outcome, string? Record = null, DateTimeOffset? OccurredAt = null, double? Amount = null);

/// <summary>A manual adjustment as sent.</summary>
internal sealed record AdjustmentBody(string Model, string Category, double Points, string Reason, DateTimeOffset? ExpiresAt = null);
