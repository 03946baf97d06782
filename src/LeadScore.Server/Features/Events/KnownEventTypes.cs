using System.Collections.Concurrent;
using LeadScore.Storage;

namespace LeadScore.Server.Features.Events;

/// <summary>
/// The event types each workspace knows (stored in its events or read by its published models), kept
/// so a type nobody knows can be answered with a warning and the known type it most likely meant.
/// </summary>
/// <remarks>
/// No index leads by event type, so the stored types cost a scan of the workspace's events: far too
/// slow per request on a large store, and a new index (a migration, and a cost on every insert) is too
/// much for an advisory warning. So the set is read at most once per <see cref="KeptFor"/> per
/// workspace, and the types this process stores are added at once, so a type is not warned about
/// twice here. Only the first read is waited for: after that, a request finding the set old is
/// answered with it while a fresh one is read in the background, so the scan (seconds on tens of
/// millions of events) never stalls ingest. What another process stores, or a model published
/// meanwhile, is seen at the next read; until then a warning may be one too many, never an event refused.
/// </remarks>
internal sealed class KnownEventTypes(TimeProvider time)
{
    /// <summary>How long the types read from the store are trusted before they are read again.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(10);

    /// <summary>The code every unknown-type warning carries.</summary>
    public const string UnknownTypeCode = "unknown-event-type";

    private readonly ConcurrentDictionary<WorkspaceId, Entry> _entries = new();

    /// <summary>The workspace's known types, read from the store when the kept ones are older than <see cref="KeptFor"/>.</summary>
    public async Task<IReadOnlyDictionary<string, byte>> GetAsync(ILeadStore store, WorkspaceId workspace, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Entries not kept by AddOrUpdate are never evaluated, so one read runs per refresh however many requests race for it.
        var entry = _entries.AddOrUpdate(
            workspace,
            _ => Entry.Read(store, workspace, now),
            (_, kept) => now - kept.ReadAt < KeptFor && !kept.Types.Value.IsFaulted ? kept : Entry.Read(store, workspace, now, kept));
        var reading = entry.Types.Value;
        if (!reading.IsCompleted && entry.Previous is { IsCompletedSuccessfully: true } previous)
        {
            // The kept set, while the fresh one is read: a little old is better than a stalled request.
            return previous.Result;
        }

        // The read is shared by every request waiting on it, so it runs to its end; this request stops waiting when cancelled.
        return await reading.WaitAsync(ct);
    }

    /// <summary>Adds the types of events just stored, so the next request does not wait for a read to know them.</summary>
    public void Remember(WorkspaceId workspace, IEnumerable<string> storedTypes)
    {
        if (_entries.TryGetValue(workspace, out var entry) && entry.Types.Value.IsCompletedSuccessfully)
        {
            foreach (var type in storedTypes)
            {
                entry.Types.Value.Result.TryAdd(type, 0);
            }
        }
    }

    /// <summary>A warning for <paramref name="type"/> when no known type is it (ignoring case, as models match); null when it is known.</summary>
    /// <param name="known">What <see cref="GetAsync"/> gave: its keys compare ignoring case.</param>
    public static EventWarning? Check(int index, string eventId, string type, IReadOnlyDictionary<string, byte> known)
    {
        if (known.ContainsKey(type))
        {
            return null;
        }

        var closest = Closest(type, known.Keys);
        return new EventWarning(index, eventId, UnknownTypeCode,
            $"'{type}' is a type no stored event has and no published model reads; "
            + (closest is null ? "it is stored, but nothing scores it yet." : $"did you mean '{closest}'?"),
            closest);
    }

    /// <summary>
    /// The known type fewest edits away, when it is close enough to be a slip of the keyboard: at most
    /// two edits, or a fifth of the type's length for long names; the first in order on a tie.
    /// </summary>
    private static string? Closest(string type, IEnumerable<string> known)
    {
        var allowed = Math.Max(2, type.Length / 5);
        string? best = null;
        var bestDistance = allowed + 1;
        foreach (var candidate in known.Order(StringComparer.Ordinal))
        {
            if (Math.Abs(candidate.Length - type.Length) < bestDistance)
            {
                var distance = EditDistance(type.ToLowerInvariant(), candidate.ToLowerInvariant());
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (candidate, distance);
                }
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance: the fewest insertions, deletions and substitutions that turn one into the other.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>A read of the set (shared by every request that wants it) and the set read before it, if any.</summary>
    private sealed record Entry(DateTimeOffset ReadAt, Lazy<Task<ConcurrentDictionary<string, byte>>> Types, Task<ConcurrentDictionary<string, byte>>? Previous)
    {
        public static Entry Read(ILeadStore store, WorkspaceId workspace, DateTimeOffset now, Entry? kept = null) => new(now, new(async () =>
        {
            var types = await store.Events.GetKnownEventTypesAsync(workspace, CancellationToken.None);
            return new ConcurrentDictionary<string, byte>(types.Select(t => KeyValuePair.Create(t, (byte)0)), StringComparer.OrdinalIgnoreCase);
        }), kept is { Types.IsValueCreated: true } ? kept.Types.Value : null);
    }
}
