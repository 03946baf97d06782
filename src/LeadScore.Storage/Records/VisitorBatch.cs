using LeadScore.Engine.Values;

namespace LeadScore.Storage.Records;

/// <summary>
/// What the website snippet sends for one browser: its anonymous visitor id, events (their contact
/// is the visitor's, so <see cref="EventInput.ContactId"/> is ignored), and, when the visitor says
/// who they are, an email and other traits (claims). <see cref="ConfirmedContact"/> is set only by
/// the server, when the request carried a proof it signed (the link of an email sent to that contact).
/// </summary>
public sealed record VisitorBatch(
    string VisitorId,
    IReadOnlyList<EventInput> Events,
    string? Email = null,
    IReadOnlyDictionary<string, FieldValue>? Traits = null,
    string? ConfirmedContact = null);
