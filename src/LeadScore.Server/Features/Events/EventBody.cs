using LeadScore.Server.Http;

namespace LeadScore.Server.Features.Events;

/// <summary>
/// An event as a client sends it, for the OpenAPI document only: the handlers read the body as a line of
/// 'leadscore import events' (JsonRow). The contact is named by its id or, for a new one, by email.
/// </summary>
internal sealed record EventBody(
    string Id, string Type, DateTimeOffset OccurredAt, string? Contact = null, string? Email = null, IReadOnlyDictionary<string, FieldScalar>? Properties = null);

/// <summary>A contact's activity timeline, oldest first.</summary>
internal sealed record ContactEventsResponse(string Id, IReadOnlyList<Http.EventResponse> Events);
