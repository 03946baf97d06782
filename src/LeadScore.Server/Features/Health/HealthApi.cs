using LeadScore.Server.Http;
using LeadScore.Storage;

namespace LeadScore.Server.Features.Health;

/// <summary>Probes for a load balancer or orchestrator; they need no key and reveal nothing about any workspace.</summary>
internal static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "up" }))
            .WithTags("health").WithSummary("The process is up");

        app.MapGet("/readyz", async (ILeadStore store, ILogger<ServerReadiness> log, CancellationToken ct) =>
        {
            try
            {
                // Reads a table of the newest migration: the database answers and its schema is current.
                await store.Keys.AnyApiKeyAsync(ct);
                return Results.Ok(new { status = "ready" });
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                log.LogWarning(ex, "Readiness check failed");
                return Problems.Unavailable("The database cannot be reached or its schema is not current; see the server log.");
            }
        }).WithTags("health").WithSummary("The database is reachable and migrated");
    }
}

/// <summary>The log category of readiness checks.</summary>
internal sealed class ServerReadiness;
