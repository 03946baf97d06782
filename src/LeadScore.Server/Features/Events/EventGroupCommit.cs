using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using LeadScore.Server.Telemetry;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Events;

/// <summary>
/// Group commit for single events. Each request that posts one event waits here while the events
/// that arrived meanwhile, from any client, are stored and scored together in one transaction; every
/// request is answered only after that transaction committed. One durable commit (an fsync on SQLite)
/// then serves dozens of requests instead of one, which is what lets single-event traffic reach
/// thousands of requests per second with nothing acknowledged before it is on disk.
/// </summary>
internal sealed class EventGroupCommit : IAsyncDisposable
{
    /// <summary>The most events one transaction takes; what arrives beyond it waits for the next one.</summary>
    public const int MaxGroup = 1_000;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(MaxGroup * 10)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ILeadStore _store;
    private readonly LeadScoreMetrics _metrics;
    private readonly ILogger<EventGroupCommit> _log;
    private readonly Task _loop;

    public EventGroupCommit(ILeadStore store, LeadScoreMetrics metrics, ILogger<EventGroupCommit> log)
    {
        _store = store;
        _metrics = metrics;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Stores one event with whatever else is waiting, and says what became of it.</summary>
    public async Task<EventOutcome> IngestAsync(WorkspaceId workspace, EventInput input, bool strict, CancellationToken cancellationToken)
    {
        var pending = new Pending(workspace, input, strict, new TaskCompletionSource<EventOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);

        // Once queued, the event will be committed whether or not the client still waits; it may send
        // it again safely, as the same id counts once.
        return await pending.Outcome.Task;
    }

    /// <summary>Called when the server has stopped taking requests: commits what is queued, then ends.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            foreach (var part in group.GroupBy(p => (p.Workspace, p.Strict)))
            {
                await CommitAsync([.. part], isolateFailures: true);
            }

            group.Clear();
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "Nothing is swallowed: the failure is logged and handed to the request waiting on the event.")]
    private async Task CommitAsync(List<Pending> part, bool isolateFailures)
    {
        var (workspace, strict) = (part[0].Workspace, part[0].Strict);
        IngestResult result;
        try
        {
            result = await _store.Events.IngestEventsAsync(workspace, [.. part.Select(p => p.Event)], new IngestOptions(strict), CancellationToken.None);
        }
        catch (Exception ex) when (isolateFailures && part.Count > 1)
        {
            // One event must not fail its neighbours: store each alone, so only the one at fault fails.
            _log.LogWarning(ex, "A group of {Count} events failed; storing them one by one", part.Count);
            foreach (var single in part)
            {
                await CommitAsync([single], isolateFailures: false);
            }

            return;
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "Storing event {EventId} failed", part[0].Event.Id);
            part[0].Outcome.TrySetException(ex);
            return;
        }

        var rejections = result.Rejected.ToDictionary(r => r.Index);
        var created = result.CreatedContacts.ToHashSet(StringComparer.Ordinal);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < part.Count; i++)
        {
            var input = part[i].Event;
            part[i].Outcome.TrySetResult(rejections.TryGetValue(i, out var rejection)
                ? EventOutcome.Rejected(rejection.Reason)
                : result.AcceptedIds.Contains(input.Id) && answered.Add(input.Id)
                    ? EventOutcome.Accepted(created.Contains(ContactNamedBy(input)) ? ContactNamedBy(input) : null)
                    : EventOutcome.Duplicate);
        }

        _metrics.EventsIngested(result.Accepted, result.Duplicates, result.Rejected.Length);
        _metrics.ScoresChanged(result.Rescored);
    }

    /// <summary>
    /// The id the store gives a contact it creates for the event: the contact id it names, or, for an
    /// event that names only an email, that email trimmed and lowercased (as the store names it).
    /// </summary>
    private static string ContactNamedBy(EventInput input) =>
        string.IsNullOrWhiteSpace(input.ContactId) ? input.ContactEmail!.Trim().ToLowerInvariant() : input.ContactId;

    private sealed record Pending(WorkspaceId Workspace, EventInput Event, bool Strict, TaskCompletionSource<EventOutcome> Outcome);
}

/// <summary>What became of one event: stored (and its contact re-scored), already stored, or rejected with the reason.</summary>
internal sealed record EventOutcome(bool IsAccepted, bool IsDuplicate, string? Rejection, string? CreatedContact)
{
    public static EventOutcome Duplicate { get; } = new(false, true, null, null);

    public static EventOutcome Accepted(string? createdContact) => new(true, false, null, createdContact);

    public static EventOutcome Rejected(string reason) => new(false, false, reason, null);
}
