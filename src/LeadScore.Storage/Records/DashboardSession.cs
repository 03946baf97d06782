namespace LeadScore.Storage.Records;

/// <summary>
/// A dashboard sign-in as stored: the key it was made from (its id, name and scope at sign-in), when
/// it ends by itself, and whether it was ended early, by signing out (<see cref="RevokedAt"/>) or by
/// revoking the key (<see cref="KeyRevokedAt"/>). Its id is never stored, only a hash of it.
/// </summary>
public sealed record DashboardSession(
    string KeyId,
    string KeyName,
    WorkspaceId Workspace,
    ApiKeyScope Scope,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? KeyRevokedAt)
{
    /// <summary>
    /// Whether the session still signs requests in at <paramref name="now"/>, and if not why; a revoked
    /// key wins over a sign-out, which wins over expiry, so the answer names the first thing to fix.
    /// </summary>
    public DashboardSessionState StateAt(DateTimeOffset now) =>
        KeyRevokedAt is not null ? DashboardSessionState.KeyRevoked
        : RevokedAt is not null ? DashboardSessionState.SignedOut
        : now >= ExpiresAt ? DashboardSessionState.Expired
        : DashboardSessionState.Active;
}
