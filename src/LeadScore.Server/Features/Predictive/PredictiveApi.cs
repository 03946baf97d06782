using System.Security.Claims;
using LeadScore.Engine.Scoring;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Predictive;

/// <summary>
/// Predictive scoring: train on demand, the model versions with their validated metrics, the
/// training status, and the settings (horizon, tiers, fields left out, schedule). Each contact's
/// prediction shows on its scores and on the leads list.
/// </summary>
internal static class PredictiveApi
{
    private const string SettingsShape =
        "{horizonDays, snapshotEveryDays, maxSnapshots, tiers: [0.25, 0.5, 0.75], excludeFields: [\"field\"], retrainEveryDays, retrainOnConversionGrowth, refreshEveryHours} (each optional)";

    public static void MapPredictiveApi(this RouteGroupBuilder api, ServerOptions options)
    {
        var group = api.MapGroup("/predictive").WithTags("predictive");
        var read = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Read));
        var admin = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Admin));

        admin.MapPost("/train", (ClaimsPrincipal user, PredictiveRuns runs) =>
        {
            var workspace = user.Workspace();
            var queued = runs.Request(workspace);
            return TypedResults.Accepted("/api/v1/predictive/status", new TrainingResponse(
                queued ? "queued" : runs.TrainingSince(workspace) is not null ? "training" : "queued",
                "/api/v1/predictive/status"));
        }).WithName("TrainPredictiveModel").Produces<TrainingResponse>(StatusCodes.Status202Accepted).WithSummary("Trains the predictive model now, in the background; 202 with where to follow it (GET /predictive/status)");

        read.MapGet("/status", async (ClaimsPrincipal user, ILeadStore store, PredictiveRuns runs, CancellationToken ct) =>
        {
            var workspace = user.Workspace();
            var latest = (await store.Predictive.ListPredictiveModelsAsync(workspace, ct)).FirstOrDefault();
            var since = runs.TrainingSince(workspace);
            return TypedResults.Ok(new PredictiveStatusResponse(
                since is not null ? "training" : runs.IsRequested(workspace) ? "queued" : "idle",
                since,
                runs.Last(workspace),
                latest is null ? null : PredictiveModelResponse.From(latest),
                await store.Outcomes.CountConversionsAsync(workspace, ct)));
        }).WithName("GetPredictiveStatus").WithSummary("Whether a training is queued or running, how the last one on this server ended, and the newest version");

        read.MapGet("/models", async (ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            TypedResults.Ok(new PredictiveModelsResponse([.. (await store.Predictive.ListPredictiveModelsAsync(user.Workspace(), ct)).Select(PredictiveModelResponse.From)])))
            .WithName("ListPredictiveModels").WithSummary("The predictive model versions, newest first, with their validated metrics and settings");

        read.MapGet("/models/{version:int}", async Task<IResult> (int version, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Predictive.GetPredictiveModelAsync(user.Workspace(), version, ct) is { } files
                ? TypedResults.Ok(PredictiveModelResponse.From(files.Info))
                : Problems.NotFound($"The workspace has no predictive model version {version}; GET /api/v1/predictive/models lists them.", "unknown-version"))
            .WithName("GetPredictiveModel").Produces<PredictiveModelResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One predictive model version with its report");

        read.MapGet("/settings", async (ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            TypedResults.Ok(PredictiveSettings.Read(await store.Predictive.GetPredictiveSettingsAsync(user.Workspace(), ct))))
            .WithName("GetPredictiveSettings").WithSummary("How the predictive model is trained and kept fresh");

        admin.MapPut("/settings", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var bound = await JsonBody.ReadAsync<PredictiveSettings>(request, options.MaxSingleBodyBytes, SettingsShape, ct);
            if (bound.Value is not { } settings)
            {
                return bound.Problem!;
            }

            if (settings.Problems() is { Count: > 0 } problems)
            {
                return Problems.Unprocessable(string.Join("; ", problems) + ".", "invalid-settings");
            }

            await store.Predictive.SavePredictiveSettingsAsync(user.Workspace(), settings.Write(), ct);
            return TypedResults.Ok(settings);
        }).Accepts<PredictiveSettings>("application/json").WithName("SavePredictiveSettings")
          .Produces<PredictiveSettings>().ProducesProblem(StatusCodes.Status422UnprocessableEntity).WithSummary("Replaces the predictive settings (missing ones take their defaults); used from the next training");
    }
}

/// <summary>A predictive model version as the API shows it.</summary>
internal sealed record PredictiveModelResponse(int Version, DateTimeOffset TrainedAt, int Conversions, PredictiveReport Report)
{
    public static PredictiveModelResponse From(PredictiveModelInfo info) => new(info.Version, info.TrainedAt, info.Conversions, PredictiveTrainer.ReadReport(info));
}

/// <summary>
/// A contact's prediction: probability as a whole percent (22 means a 22% chance), tier and what it means
/// (<see cref="TierMeaning"/>, null for a prediction written before it was kept), reasons each way
/// (<see cref="Raising"/> and <see cref="Lowering"/> as text, <see cref="Reasons"/> with direction and size,
/// each compared with the typical lead), expected value.
/// </summary>
internal sealed record PredictionResponse(
    int Probability, string Tier, string? TierMeaning, IReadOnlyList<string> Raising, IReadOnlyList<string> Lowering, IReadOnlyList<PredictionReason> Reasons,
    double? ExpectedAmount, double? ExpectedDays, double? ExpectedValue, int ModelVersion, DateTimeOffset PredictedAt)
{
    public static PredictionResponse? From(ContactPrediction? prediction)
    {
        if (prediction is null)
        {
            return null;
        }

        var reasons = prediction.Factors.Select(PredictionReason.From).ToArray();
        return new(
            prediction.Percent, PriorityTiers.Name(prediction.Tier), prediction.TierMeaning,
            [.. reasons.Where(r => r.Direction == ReasonDirection.Raises).Select(r => r.Text)],
            [.. reasons.Where(r => r.Direction == ReasonDirection.Lowers).Select(r => r.Text)],
            reasons,
            prediction.ExpectedAmount is { } amount ? Math.Round(amount, 2) : null,
            prediction.ExpectedDays is { } days ? Math.Round(days, 1) : null,
            prediction.ExpectedValue is { } value ? Math.Round(value, 2) : null,
            prediction.ModelVersion, prediction.PredictedAt);
    }
}

/// <summary>
/// One reason for a contact's prediction, in the field's own words: whether this value raises or lowers the
/// contact's probability compared with the typical lead, and by how many percentage points
/// (<see cref="Points"/>, signed: 4.2 raises it by about 4 points; null for a prediction written before sizes were kept).
/// </summary>
internal sealed record PredictionReason(string Text, ReasonDirection Direction, double? Points)
{
    public static PredictionReason From(PredictionFactor factor) =>
        new(factor.Text, factor.Weight >= 0 ? ReasonDirection.Raises : ReasonDirection.Lowers, factor.Points);
}

/// <summary>Which way a reason moves a contact's probability, compared with the typical lead.</summary>
internal enum ReasonDirection
{
    Raises,
    Lowers,
}
