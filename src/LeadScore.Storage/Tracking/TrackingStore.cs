using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Tracking;

/// <summary>
/// Activity capture: site keys, the tracking secret, what the website snippet sends, and visitor claims.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Tracking</c>.
/// </summary>
public sealed class TrackingStore
{
    private readonly SqlLeadStore _sql;

    internal TrackingStore(SqlLeadStore sql) => _sql = sql;

    /// <summary>Makes a public key for the website snippet of a workspace, usable from the given origins.</summary>
    public Task<SiteKey> CreateSiteKeyAsync(WorkspaceId workspace, string name, IReadOnlyList<string> origins, IReadOnlyList<string> eventTypes, VisitorTrust trust, CancellationToken cancellationToken = default) =>
        _sql.CreateSiteKeyAsync(workspace, name, origins, eventTypes, trust, cancellationToken);

    /// <summary>The site key a page presented (<c>pk_...</c>), in any workspace; null when unknown or revoked.</summary>
    public Task<SiteKey?> FindSiteKeyAsync(string key, CancellationToken cancellationToken = default) =>
        _sql.FindSiteKeyAsync(key, cancellationToken);

    public Task<IReadOnlyList<SiteKey>> ListSiteKeysAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.ListSiteKeysAsync(workspace, cancellationToken);

    public Task<bool> RevokeSiteKeyAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default) =>
        _sql.RevokeSiteKeyAsync(workspace, id, cancellationToken);

    /// <summary>The workspace's key for signing email tracking tokens, made on first use and shared by every server.</summary>
    public Task<string> GetTrackingSecretAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.GetTrackingSecretAsync(workspace, cancellationToken);

    /// <summary>
    /// The workspace's tracking secret when it has one; null when the workspace does not exist or has
    /// never made a tracking link. Reads only: a token from the internet names any workspace it likes,
    /// and checking it must neither fail on an unknown one nor make a secret for it.
    /// </summary>
    public Task<string?> FindTrackingSecretAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.FindTrackingSecretAsync(workspace, cancellationToken);

    /// <summary>
    /// Stores a browser's events in one transaction. An unidentified visitor's events go to an
    /// anonymous contact (<c>v-</c> and the visitor id). An identify whose email no contact has makes
    /// the anonymous contact that contact. One whose email names an existing contact is a claim:
    /// under <see cref="VisitorClaims.Hold"/> it is held (the events stay on the anonymous contact)
    /// until confirmed, under <see cref="VisitorClaims.Merge"/> the visitor is merged at once. A batch
    /// whose <see cref="VisitorBatch.ConfirmedContact"/> the server has proof of is merged into it.
    /// Traits fill only the fields <paramref name="trust"/> allows that have no value yet. A browser
    /// of an erased person stores nothing. Fails with <c>invalid-visitor</c> or <c>invalid-email</c>.
    /// </summary>
    public Task<StoreResult<CollectResult>> CollectAsync(WorkspaceId workspace, VisitorBatch batch, VisitorTrust trust, CancellationToken cancellationToken = default) =>
        _sql.CollectAsync(workspace, batch, trust, cancellationToken);

    /// <summary>Visitors who said by email alone that they are an existing contact, not yet confirmed, oldest first.</summary>
    public Task<IReadOnlyList<VisitorClaim>> ListVisitorClaimsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.ListVisitorClaimsAsync(workspace, cancellationToken);

    /// <summary>
    /// A trusted source (the API, the CRM) confirms a visitor's claim: the visitor is merged into the
    /// contact it named, its held traits fill what the contact lacks, and the contact is re-scored.
    /// Fails with <c>unknown-claim</c>, or <c>unknown-contact</c> when the contact is gone.
    /// </summary>
    public Task<StoreResult<CollectResult>> ConfirmVisitorClaimAsync(WorkspaceId workspace, string visitorId, CancellationToken cancellationToken = default) =>
        _sql.ConfirmVisitorClaimAsync(workspace, visitorId, cancellationToken);

    /// <summary>Drops a visitor's claim; the visitor stays an anonymous contact of its own. False when there was none.</summary>
    public Task<bool> RejectVisitorClaimAsync(WorkspaceId workspace, string visitorId, CancellationToken cancellationToken = default) =>
        _sql.RejectVisitorClaimAsync(workspace, visitorId, cancellationToken);
}
