namespace LeadScore.Storage.Records;

/// <summary>
/// An API key as stored: never its secret, only a hash of it. <see cref="Id"/> is the public part
/// of the key (it appears in the key text and in logs); revoked keys stay listed with the time.
/// </summary>
public sealed record ApiKey(
    string Id,
    WorkspaceId Workspace,
    string Name,
    ApiKeyScope Scope,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    public bool Allows(ApiKeyScope needed) => RevokedAt is null && Scope >= needed;
}
