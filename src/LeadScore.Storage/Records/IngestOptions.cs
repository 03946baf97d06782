namespace LeadScore.Storage.Records;

/// <summary>
/// How events for contacts the store does not know are treated: by default the contact is created;
/// in strict mode the event is rejected, for senders that must only report known people.
/// </summary>
public sealed record IngestOptions(bool Strict = false)
{
    public static IngestOptions Default { get; } = new();
}
