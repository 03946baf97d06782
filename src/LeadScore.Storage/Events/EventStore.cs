using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Events;

/// <summary>
/// The event log: ingest (each event id once per workspace, the touched records re-scored in the same transaction) and read.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Events</c>.
/// </summary>
public sealed class EventStore
{
    private readonly SqlLeadStore _sql;

    internal EventStore(SqlLeadStore sql) => _sql = sql;

    /// <summary>
    /// Stores a batch of events, each event id once per workspace, and re-scores the contacts they
    /// touched (and those contacts' deals and companies) in the same transaction.
    /// </summary>
    public Task<IngestResult> IngestEventsAsync(WorkspaceId workspace, IReadOnlyList<EventInput> events, IngestOptions? options = null, CancellationToken cancellationToken = default) =>
        _sql.IngestEventsAsync(workspace, events, options, cancellationToken);

    /// <summary>A contact's events, oldest first: its activity timeline, and what a fresh re-score reads.</summary>
    public Task<IReadOnlyList<ActivityEvent>> GetEventsAsync(WorkspaceId workspace, string contactId, CancellationToken cancellationToken = default) =>
        _sql.GetEventsAsync(workspace, contactId, cancellationToken);

    public Task<long> CountEventsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.CountEventsAsync(workspace, cancellationToken);

    /// <summary>
    /// Every contact with its fields, its whole activity and its first conversion (a conversion outcome
    /// or a won deal of its own, with that deal's amount), by id, a page at a time: what predictive
    /// training builds its as-of snapshots from.
    /// </summary>
    public IAsyncEnumerable<ContactActivity> ReadContactActivityAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.ReadContactActivityAsync(workspace, cancellationToken);
}
