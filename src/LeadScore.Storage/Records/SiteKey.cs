using System.Collections.Immutable;

namespace LeadScore.Storage.Records;

/// <summary>
/// A public key of the website snippet. It is public (every page shows it), so it can do little: write
/// tracking events (page views, sessions, form submits and the <see cref="EventTypes"/> listed) for
/// its workspace, from its <see cref="Origins"/> only, and fill what its <see cref="Trust"/> allows.
/// </summary>
public sealed record SiteKey(
    WorkspaceId Workspace,
    string Id,
    string Name,
    ImmutableArray<string> Origins,
    ImmutableArray<string> EventTypes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    VisitorTrust Trust)
{
    /// <summary>The event types every site key may write: what the snippet sends by itself.</summary>
    public static ImmutableArray<string> TrackingEventTypes { get; } = ["page_view", "session_start", "form_submit"];

    /// <summary>The text a page embeds: <c>pk_</c> and the id.</summary>
    public string Key => $"pk_{Id}";

    public bool Allows(string eventType) =>
        TrackingEventTypes.Contains(eventType, StringComparer.Ordinal) || EventTypes.Contains(eventType, StringComparer.Ordinal);
}
