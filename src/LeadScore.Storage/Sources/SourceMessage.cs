using System.Collections.Immutable;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Sources;

/// <summary>The Segment Spec's calls.</summary>
public enum SourceCall
{
    Identify,
    Track,
    Page,
    Screen,
    Group,
    Alias,
}

/// <summary>
/// One Segment Spec message, read and checked (<see cref="SegmentSpec"/>): who it is about, when it
/// happened (clock skew corrected), and what it says in LeadScore's terms. <see cref="Traits"/> are
/// already named as LeadScore's fields (<c>title</c> is <c>jobTitle</c>); <see cref="EventName"/> is the
/// name as sent, mapped to an event type by the workspace's <see cref="EventMapping"/> when stored.
/// </summary>
/// <param name="Index">The message's position in its request (from 0; an import names its file line instead), for rejections.</param>
/// <param name="MessageId">The sender's id, or one derived from the message's content when it has none: a re-sent message counts once.</param>
/// <param name="GroupId">For <see cref="SourceCall.Group"/> the company; for other calls <c>context.groupId</c>, a company to link a contact that has none.</param>
/// <param name="PreviousId">For <see cref="SourceCall.Alias"/>: the id merged into <see cref="UserId"/>.</param>
public sealed record SourceMessage(
    int Index,
    SourceCall Call,
    string MessageId,
    string? UserId,
    string? AnonymousId,
    DateTimeOffset Timestamp,
    string? EventName,
    ImmutableDictionary<string, FieldValue> Properties,
    ImmutableDictionary<string, FieldValue> Traits,
    string? GroupId,
    string? PreviousId)
{
    /// <summary>Bytes of the message as sent (its JSON), for the per-message limit.</summary>
    public int Size { get; init; }

    /// <summary>The company a contact's traits named by id (<c>company.id</c>), linked like a group call's.</summary>
    public string? CompanyId { get; init; }
}

/// <summary>A message that was not stored, with its position in the request, its id when it had one, why, and where.</summary>
public sealed record RefusedMessage(int Index, string? MessageId, string Reason, string? Path = null);
