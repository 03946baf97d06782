using System.Security.Claims;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Jobs;

/// <summary>Long-running work (the bulk re-score after a publish) and its progress.</summary>
internal static class JobsApi
{
    public static void MapJobsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/jobs/{id:long}", async Task<IResult> (long id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Models.GetJobAsync(user.Workspace(), id, ct) is { } job
                ? TypedResults.Ok(JobResponse.From(job))
                : Problems.NotFound($"There is no job {id} in this workspace.", "unknown-job"))
            .WithTags("jobs").AddEndpointFilter(new RequireScope(ApiKeyScope.Read))
            .WithName("GetJob").Produces<JobResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("A job's state and progress (done of total)");
    }
}

/// <summary>A job as the API shows it; <see cref="Progress"/> is done / total, 0 to 1.</summary>
internal sealed record JobResponse(long Id, string Kind, string Model, int Version, JobState State, long Done, long Total, double Progress)
{
    public static JobResponse From(JobStatus job) => new(job.Id, job.Kind, job.ModelKey, job.ModelVersion, job.State, job.Done, job.Total, Math.Round(job.Fraction, 4));
}
