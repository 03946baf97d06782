using LeadScore.Engine.Values;

namespace LeadScore.Storage.Records;

/// <summary>
/// Something a person did, as it arrives: it names its contact by id, or by email when the sender
/// does not know LeadScore's id.
/// </summary>
public sealed record EventInput(
    string Id,
    string? ContactId,
    string? ContactEmail,
    string Type,
    DateTimeOffset OccurredAt,
    IReadOnlyDictionary<string, FieldValue>? Properties = null);
