using System.Collections.Immutable;

namespace LeadScore.Storage.Records;

/// <summary>
/// What an event batch did. <see cref="Duplicates"/> were already stored (a re-sent batch is all
/// duplicates and changes nothing); <see cref="CreatedContacts"/> lists contacts made for events that
/// named an unknown one.
/// </summary>
public sealed record IngestResult(
    int Accepted,
    int Duplicates,
    ImmutableArray<Rejection> Rejected,
    ImmutableArray<string> CreatedContacts,
    int Rescored)
{
    /// <summary>
    /// The ids of the events stored by this batch (the <see cref="Accepted"/> ones), so a caller that
    /// merged several senders' events into one batch can tell each sender whether its event was new.
    /// </summary>
    public IReadOnlySet<string> AcceptedIds { get; init; } = new HashSet<string>();
}
