using System.Security.Claims;
using LeadScore.Engine.Model;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Server.Telemetry;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using LeadScore.Storage.Rows;

namespace LeadScore.Server.Features.Events;

/// <summary>
/// Activity in: one event or a batch of up to 10,000, each re-scoring its contact in the same
/// transaction. An event id counts once per workspace, so a client may safely send again after a timeout.
/// </summary>
internal static class EventsApi
{
    public static void MapEventsApi(this RouteGroupBuilder api, ServerOptions options)
    {
        var write = api.MapGroup("/events").WithTags("events").AddEndpointFilter(new RequireScope(ApiKeyScope.Write));

        write.MapPost("/", async (HttpRequest request, bool? strict, ClaimsPrincipal user, EventGroupCommit events, CancellationToken ct) =>
        {
            using var body = await JsonBody.ReadRowsAsync(request, options.MaxSingleBodyBytes, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var read = BatchItems<EventInput>.ReadOne(JsonRow.Read(body.Document!.RootElement, 1), InputRows.Event);
            if (read.Rejected.Count > 0)
            {
                return Problems.NotStored("event", read.Rejected[0], "invalid-event");
            }

            var outcome = await events.IngestAsync(user.Workspace(), read.Items[0], strict ?? false, ct);
            return outcome.Rejection is { } reason
                ? Problems.Unprocessable($"The event was not stored: {reason}.", "invalid-event")
                : TypedResults.Ok(new IngestResponse(
                    outcome.IsAccepted ? 1 : 0, outcome.IsDuplicate ? 1 : 0, [], outcome.CreatedContact is { } created ? [created] : [], null));
        }).Accepts<EventBody>("application/json").WithName("IngestEvent")
          .Produces<IngestResponse>().ProducesProblem(StatusCodes.Status422UnprocessableEntity)
          .WithSummary("Ingests one event {id, contact or email, type, occurredAt, properties} and re-scores its contact before answering; ?strict=true refuses unknown contacts");

        write.MapPost("/batch", async (HttpRequest request, bool? strict, ClaimsPrincipal user, ILeadStore store, LeadScoreMetrics metrics, CancellationToken ct) =>
        {
            using var body = await JsonBody.ReadRowsAsync(request, options.MaxBatchBodyBytes, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var (batch, problem) = BatchItems<EventInput>.Read(body.Document!.RootElement, "event", InputRows.Event, null);
            return problem ?? TypedResults.Ok(await IngestAsync(batch!, strict, user.Workspace(), store, metrics, ct));
        }).Accepts<EventBody[]>("application/json").WithName("IngestEvents").Produces<IngestResponse>()
          .WithSummary("Ingests up to 10,000 events in one transaction; says how many were accepted, duplicated and rejected (with reasons per item)");

        api.MapGet("/contacts/{id}/events", async Task<IResult> (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var workspace = user.Workspace();
            if (await store.Records.GetRecordAsync(workspace, RecordKind.Contact, id, ct) is null)
            {
                return Problems.NotFound($"There is no contact '{id}' in this workspace.", "unknown-contact");
            }

            var events = await store.Events.GetEventsAsync(workspace, id, ct);
            return TypedResults.Ok(new ContactEventsResponse(id, [.. events.Select(EventResponse.From)]));
        }).WithTags("contacts").AddEndpointFilter(new RequireScope(ApiKeyScope.Read))
          .WithName("GetContactEvents").Produces<ContactEventsResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("The contact's activity timeline, oldest first");
    }

    private static async Task<IngestResponse> IngestAsync(
        BatchItems<EventInput> batch, bool? strict, WorkspaceId workspace, ILeadStore store, LeadScoreMetrics metrics, CancellationToken ct)
    {
        var result = batch.Items.Count == 0
            ? new IngestResult(0, 0, [], [], 0)
            : await store.Events.IngestEventsAsync(workspace, batch.Items, new IngestOptions(strict ?? false), ct);
        var rejected = batch.AllRejections(result.Rejected);
        metrics.EventsIngested(result.Accepted, result.Duplicates, rejected.Length);
        metrics.ScoresChanged(result.Rescored);
        return new IngestResponse(result.Accepted, result.Duplicates, rejected, result.CreatedContacts, result.Rescored);
    }
}

/// <summary>What an event request did: accepted (new), duplicates (already stored), rejected (with position and reason).</summary>
/// <remarks>
/// <see cref="Rescored"/> (scores recomputed) is given for batches; a single event is committed with
/// others (group commit), so its own share is not known: its contact's scores are current when it answers.
/// </remarks>
internal sealed record IngestResponse(int Accepted, int Duplicates, IReadOnlyList<Rejection> Rejected, IReadOnlyList<string> CreatedContacts, int? Rescored);
