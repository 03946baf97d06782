using System.Security.Claims;
using System.Text.Json;
using LeadScore.Engine.Review;
using LeadScore.Engine.Values;
using LeadScore.Server.Features.Models;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Reviews;

/// <summary>
/// The monthly review of a model (computed now, or stored by the schedule and on request) and the
/// backtest of a draft beside the published version.
/// </summary>
internal static class ReviewsApi
{
    private static readonly TimeSpan DefaultBacktestPeriod = TimeSpan.FromDays(90);

    public static void MapReviewsApi(this RouteGroupBuilder api, ServerOptions options)
    {
        var group = api.MapGroup("/models").WithTags("reviews");
        var read = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Read));
        var write = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Write));

        read.MapGet("/{key}/review", async (string key, string? since, string? format, int? mqlVolume, ClaimsPrincipal user, ModelReviews reviews, CancellationToken ct) =>
        {
            if (Period(since, TimeSpan.FromDays(ModelReviews.DefaultSinceDays)) is not { } period)
            {
                return BadSince(since);
            }

            if (format is not (null or "json" or "md" or "html"))
            {
                return Problems.BadRequest($"format '{format}' is not one of json (default), md or html.", "invalid-format");
            }

            if (mqlVolume is <= 0)
            {
                return Problems.BadRequest($"mqlVolume {mqlVolume} must be a positive number of MQLs for the period.", "invalid-mql-volume");
            }

            var run = await reviews.ReviewAsync(user.Workspace(), key, period, options: new ProposalOptions { MqlVolume = mqlVolume }, cancellationToken: ct);
            if (run.Review is not { } review)
            {
                return Problem(run.Problem!);
            }

            return format switch
            {
                "md" => TypedResults.Text(ReviewMarkdown.Write(review), "text/markdown; charset=utf-8"),
                "html" => TypedResults.Text(ReviewHtml.Write(review), "text/html; charset=utf-8"),
                _ => TypedResults.Text(ReviewJson.Write(review), "application/json; charset=utf-8"),
            };
        }).WithName("ReviewModel")
          // The report is written by ReviewJson (the same JSON the CLI's review writes); ReviewDocument documents it.
          .Produces<ReviewDocument>(StatusCodes.Status200OK, "application/json")
          .AddOpenApiOperationTransformer(ApiOperations.AlsoText(StatusCodes.Status200OK, "text/markdown", "text/html"))
          .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
          .WithSummary("Reviews the published version now over ?since=30d: health, grades, deciles, thresholds, rules, misjudged leads and a proposal with its backtest; ?format=md|html for a report");

        write.MapPost("/{key}/reviews", async (string key, string? since, bool? saveDraft, int? mqlVolume, ClaimsPrincipal user, ModelReviews reviews, CancellationToken ct) =>
        {
            if (Period(since, TimeSpan.FromDays(ModelReviews.DefaultSinceDays)) is not { } period)
            {
                return BadSince(since);
            }

            var run = await reviews.ReviewAsync(user.Workspace(), key, period, options: new ProposalOptions { MqlVolume = mqlVolume is > 0 ? mqlVolume : null }, cancellationToken: ct);
            if (run.Review is null)
            {
                return Problem(run.Problem!);
            }

            var stored = await reviews.StoreAsync(user.Workspace(), run, saveDraft ?? true, cancellationToken: ct);
            return TypedResults.Created($"/api/v1/models/{key}/reviews/{stored!.Id}", StoredResponse(stored, withReport: true));
        }).WithName("StoreModelReview").Produces<StoredReviewResponse>(StatusCodes.Status201Created)
          .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
          .WithSummary("Runs the review now, stores it and (unless ?saveDraft=false) saves its proposal as a draft version; 201 with the stored review");

        read.MapGet("/{key}/reviews", async (string key, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var stored = await store.Reviews.ListModelReviewsAsync(user.Workspace(), key, ct);
            return TypedResults.Ok(new StoredReviewsResponse([.. stored.Select(r => StoredResponse(r, withReport: false))]));
        }).WithName("ListModelReviews").WithSummary("Lists the stored reviews of a model, newest first, with their health");

        read.MapGet("/{key}/reviews/{id:long}", async Task<IResult> (string key, long id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Reviews.GetModelReviewAsync(user.Workspace(), id, ct) is { } stored && stored.ModelKey == key
                ? TypedResults.Ok(StoredResponse(stored, withReport: true))
                : Problems.NotFound($"Model '{key}' has no stored review {id}; GET /api/v1/models/{key}/reviews lists them.", "unknown-review"))
            .WithName("GetModelReview").Produces<StoredReviewResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Gets one stored review with its report and proposal");

        read.MapPost("/{key}/backtest", async (string key, string? since, int? version, HttpRequest request, ClaimsPrincipal user, ILeadStore store, ModelReviews reviews, CancellationToken ct) =>
        {
            if (Period(since, DefaultBacktestPeriod) is not { } period)
            {
                return BadSince(since);
            }

            string json;
            if (version is { } number)
            {
                if ((await store.Models.GetModelVersionsAsync(user.Workspace(), key, ct)).FirstOrDefault(v => v.Version == number) is not { } saved)
                {
                    return Problems.NotFound($"Model '{key}' has no version {number}.", "unknown-model");
                }

                json = saved.Definition;
            }
            else
            {
                var body = await ModelsApi.ReadModelTextAsync(request, options, ct);
                if (body.Problem is not null)
                {
                    return body.Problem;
                }

                json = body.Text!;
            }

            var run = await reviews.BacktestAsync(user.Workspace(), json, period, cancellationToken: ct);
            if (!run.Draft.IsValid)
            {
                return Problems.Unprocessable($"The draft has {run.Draft.Errors.Length} error(s); the first: {run.Draft.Errors[0]}.", "invalid-model",
                    new Dictionary<string, object?> { ["errors"] = run.Draft.Errors, ["warnings"] = run.Draft.Warnings });
            }

            if (run.Draft.Model.Key != key)
            {
                return Problems.BadRequest($"The draft is model '{run.Draft.Model.Key}', the URL names '{key}'; make them equal.", "key-mismatch");
            }

            return run.Report is { } report
                ? TypedResults.Text(ReviewJson.Write(report), "application/json; charset=utf-8")
                : Problem(run.Problem!);
        }).Accepts<ModelDocument>(isOptional: true, "application/json").WithName("BacktestModel")
          .Produces<BacktestReport>(StatusCodes.Status200OK, "application/json")
          .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
          .WithSummary("Replays a draft (the body, or ?version=N) beside the published version over ?since=90d: AUC, MQLs, precision and recall at MQL, leads moving in or out");
    }

    private static TimeSpan? Period(string? since, TimeSpan fallback) =>
        since is null ? fallback : Duration.TryParse(since, out var duration) ? duration.Length : null;

    private static IResult BadSince(string? since) =>
        Problems.BadRequest($"since '{since}' is not a period: write a whole number and a unit, such as 30d, 12w or 72h.", "invalid-since");

    private static IResult Problem(ReviewProblem problem) => problem.Code switch
    {
        "unknown-model" => Problems.NotFound(problem.Message, problem.Code),
        "not-published" => Problems.Conflict(problem.Message, problem.Code),
        _ => Problems.BadRequest(problem.Message, problem.Code),
    };

    private static StoredReviewResponse StoredResponse(StoredModelReview stored, bool withReport)
    {
        using var document = JsonDocument.Parse(stored.Report);
        var report = document.RootElement.GetProperty("report");
        var health = report.GetProperty("health");
        return new StoredReviewResponse(
            stored.Id, stored.ModelKey, stored.ModelVersion, stored.ReviewedAt, stored.PeriodFrom, stored.PeriodTo, stored.Scheduled, stored.DraftVersion,
            report.GetProperty("leads").GetInt32(), report.GetProperty("converted").GetInt32(),
            health.GetProperty("auc").GetDouble(), health.GetProperty("verdict").GetString(),
            withReport ? document.RootElement.Clone() : null);
    }
}
