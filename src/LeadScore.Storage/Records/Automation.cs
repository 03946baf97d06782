namespace LeadScore.Storage.Records;

/// <summary>
/// A stored automation: its definition as the author wrote it (JSON), and the secret its webhooks
/// are signed with. Editing keeps the id and the secret.
/// </summary>
public sealed record Automation(
    string Id,
    string Name,
    string? ModelKey,
    string TriggerType,
    bool Enabled,
    string Definition,
    string Secret,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
