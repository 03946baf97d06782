using LeadScore.Server.Http;
using LeadScore.Storage;

namespace LeadScore.Server.Features.Health;

/// <summary>Probes for a load balancer or orchestrator; they need no key and reveal nothing about any workspace.</summary>
internal static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthResponse("up")))
            .WithTags("health").WithName("Health").WithSummary("The process is up");

        app.MapGet("/readyz", async Task<IResult> (ILeadStore store, ILogger<ServerReadiness> log, CancellationToken ct) =>
        {
            try
            {
                // Reads a table of the newest migration: the database answers and its schema is current.
                await store.Keys.AnyApiKeyAsync(ct);
                return TypedResults.Ok(new HealthResponse("ready"));
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                log.LogWarning(ex, "Readiness check failed");
                return Problems.Unavailable("The database cannot be reached or its schema is not current; see the server log.");
            }
        }).WithTags("health").WithName("Ready").Produces<HealthResponse>().ProducesProblem(StatusCodes.Status503ServiceUnavailable)
          .WithSummary("The database is reachable and migrated");
    }
}

/// <summary>A probe's answer: up (the process) or ready (its database too).</summary>
internal sealed record HealthResponse(string Status);

/// <summary>The log category of readiness checks.</summary>
internal sealed class ServerReadiness;
