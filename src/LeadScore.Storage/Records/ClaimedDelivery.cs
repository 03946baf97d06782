namespace LeadScore.Storage.Records;

/// <summary>
/// A delivery a dispatcher has claimed for a short lease: what to send, where, and the secret to
/// sign it with. <see cref="RetryFrom"/> starts the retry window (creation, or the last replay).
/// </summary>
public sealed record ClaimedDelivery(
    WorkspaceId Workspace,
    string Id,
    string AutomationId,
    Uri Url,
    string Payload,
    string Secret,
    int Attempts,
    DateTimeOffset RetryFrom);
