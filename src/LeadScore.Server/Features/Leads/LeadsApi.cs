using System.Security.Claims;
using LeadScore.Engine.Scoring;
using LeadScore.Server.Features.Models;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Leads;

/// <summary>The ranked list sales works from: who to call first under a model, filtered and paged.</summary>
internal static class LeadsApi
{
    private static readonly Dictionary<string, LeadSort> Sorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["priority"] = LeadSort.Priority,
        ["-score"] = LeadSort.ScoreDescending,
        ["score"] = LeadSort.ScoreAscending,
        ["-scoredAt"] = LeadSort.RecentlyScored,
        ["id"] = LeadSort.RecordId,
        ["-probability"] = LeadSort.ProbabilityDescending,
        ["-expectedValue"] = LeadSort.ExpectedValueDescending,
    };

    public static void MapLeadsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/leads", async (
            string? model, string? status, string? grade, string? threshold, int? segment, string? tier, string? q, string? sort, int? limit, string? cursor,
            ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var workspace = user.Workspace();
            var (key, problem) = await PublishedModels.ResolveAsync(store, workspace, model, null, "ranks the leads", ct);
            if (key is null)
            {
                return problem!;
            }

            var order = LeadSort.Priority;
            if (sort is not null && !Sorts.TryGetValue(sort, out order))
            {
                return Problems.BadRequest($"sort '{sort}' is not one of {string.Join(", ", Sorts.Keys)}.", "invalid-sort");
            }

            if (segment is < 0 or > 9)
            {
                return Problems.BadRequest($"segment {segment} is not a segment digit (0 to 9).", "invalid-segment");
            }

            var statuses = LeadStatuses.FilterNamed(status);
            if (statuses is null)
            {
                return Problems.BadRequest(
                    $"status '{status}' is not 'all' or a comma-separated list of {string.Join(", ", LeadStatuses.Names)}.", "invalid-status");
            }

            var wantedTier = PriorityTiers.Named(tier);
            if (tier is not null && wantedTier is null)
            {
                return Problems.BadRequest($"tier '{tier}' is not one of {string.Join(", ", PriorityTiers.Names)} (very-high works too).", "invalid-tier");
            }

            var query = new LeadQuery(key)
            {
                Statuses = statuses,
                Tier = wantedTier,
                Grade = grade,
                Threshold = threshold,
                Segment = segment,
                Search = string.IsNullOrWhiteSpace(q) ? null : q,
                Sort = order,
                Limit = limit ?? 50,
                Cursor = cursor,
            };
            var page = await store.Leads.ListLeadsAsync(workspace, query, ct);
            return page.Succeeded
                ? TypedResults.Ok(new PageResponse<ScoreResponse>([.. page.Value.Items.Select(ScoreResponse.From)], page.Value.NextCursor))
                : Problems.From(page.Error);
        }).WithTags("leads").AddEndpointFilter(new RequireScope(ApiKeyScope.Read))
          .WithName("ListLeads").Produces<PageResponse<ScoreResponse>>().ProducesProblem(StatusCodes.Status404NotFound)
          .WithSummary("Whom to call first under a model: open leads, qualified first, then by points, then by probability. " +
              "?model=KEY&status=open,converted|all&grade=A&threshold=mql&segment=2&tier=high&q=text&sort=priority|-score|score|-scoredAt|id|-probability|-expectedValue&limit=50&cursor=...");
    }
}
