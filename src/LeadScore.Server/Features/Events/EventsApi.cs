using System.Security.Claims;
using System.Text.Json;
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

        var knownTypes = new KnownEventTypes(options.Time);

        write.MapPost("/", async (HttpRequest request, bool? strict, ClaimsPrincipal user, EventGroupCommit events, ILeadStore store, CancellationToken ct) =>
        {
            using var body = await JsonBody.ReadRowsAsync(request, options.MaxSingleBodyBytes, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            if (body.Document!.RootElement.ValueKind == JsonValueKind.Array)
            {
                return Problems.BadRequest(
                    "This endpoint takes one event object; the body is an array. Send arrays (up to 10,000 events) to /api/v1/events/batch.", "wrong-shape");
            }

            var read = BatchItems<EventInput>.ReadOne(JsonRow.Read(body.Document.RootElement, 1), InputRows.Event);
            if (read.Rejected.Count > 0)
            {
                return Problems.NotStored("event", read.Rejected[0], "invalid-event");
            }

            var workspace = user.Workspace();
            var input = read.Items[0];
            var known = await knownTypes.GetAsync(store, workspace, ct);
            var sentAt = options.Time.GetUtcNow();
            var outcome = await events.IngestAsync(workspace, input, strict ?? false, ct);
            if (outcome.Rejection is { } reason)
            {
                return Problems.Unprocessable($"The event was not stored: {reason}.", "invalid-event");
            }

            var warning = outcome.IsAccepted ? KnownEventTypes.Check(0, input.Id, input.Type, known) : null;
            if (outcome.IsAccepted)
            {
                knownTypes.Remember(workspace, [input.Type]);
            }

            return TypedResults.Ok(new IngestResponse(
                outcome.IsAccepted ? 1 : 0, outcome.IsDuplicate ? 1 : 0, [], outcome.CreatedContact is { } created ? [created] : [], null,
                warning is null ? [] : [warning], await ScoresAfterEvent.ReadAsync(store, workspace, input.Id, sentAt, ct)));
        }).Accepts<EventBody>("application/json").WithName("IngestEvent")
          .Produces<IngestResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
          .WithSummary("Ingests one event {id, contact or email, type, occurredAt, properties}, re-scores its contact and answers with its scores; ?strict=true refuses unknown contacts");

        write.MapPost("/batch", async (HttpRequest request, bool? strict, ClaimsPrincipal user, ILeadStore store, LeadScoreMetrics metrics, CancellationToken ct) =>
        {
            using var body = await JsonBody.ReadRowsAsync(request, options.MaxBatchBodyBytes, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var (batch, problem) = BatchItems<EventInput>.Read(body.Document!.RootElement, "event", InputRows.Event, null);
            return problem ?? TypedResults.Ok(await IngestAsync(batch!, strict, user.Workspace(), store, metrics, knownTypes, ct));
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
        BatchItems<EventInput> batch, bool? strict, WorkspaceId workspace, ILeadStore store, LeadScoreMetrics metrics, KnownEventTypes knownTypes, CancellationToken ct)
    {
        if (batch.Items.Count == 0)
        {
            return new IngestResponse(0, 0, batch.AllRejections([]), [], 0, []);
        }

        var known = await knownTypes.GetAsync(store, workspace, ct);
        var result = await store.Events.IngestEventsAsync(workspace, batch.Items, new IngestOptions(strict ?? false), ct);
        var rejected = batch.AllRejections(result.Rejected);
        metrics.EventsIngested(result.Accepted, result.Duplicates, rejected.Length);
        metrics.ScoresChanged(result.Rescored);

        // Each stored item is judged against the types known before the batch, so every item of a mistyped run says so.
        var stored = batch.Items.Select((item, i) => (Item: item, Position: batch.PositionOf(i))).Where(s => result.AcceptedIds.Contains(s.Item.Id)).ToList();
        var warnings = stored.Select(s => KnownEventTypes.Check(s.Position, s.Item.Id, s.Item.Type, known)).OfType<EventWarning>().ToList();
        knownTypes.Remember(workspace, stored.Select(s => s.Item.Type));
        return new IngestResponse(result.Accepted, result.Duplicates, rejected, result.CreatedContacts, result.Rescored, warnings);
    }
}

/// <summary>
/// What an event request did: accepted (new), duplicates (already stored), rejected (with position and
/// reason), contacts created, warnings about stored events (with position), and for a single event the
/// scores it left its contact with.
/// </summary>
/// <remarks>
/// <see cref="Rescored"/> (scores recomputed) is given for batches; a single event is committed with
/// others (group commit), so its own share is not known: it answers with its contact's <see cref="Scores"/> instead.
/// </remarks>
internal sealed record IngestResponse(
    int Accepted, int Duplicates, IReadOnlyList<Rejection> Rejected, IReadOnlyList<string> CreatedContacts, int? Rescored,
    IReadOnlyList<EventWarning> Warnings, IReadOnlyList<EventScore>? Scores = null);
