using System.Collections.Frozen;
using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Compilation;

/// <summary>
/// The events a score can depend on: the types some rule or condition looks at, each with how far
/// back an event of that type can still count. A behaviour with <c>within</c> or <c>expiresAfter</c>
/// ignores older events, so a store re-scoring a contact need not read them: one with a year of page
/// views is re-scored from the last fortnight's when every page-view behaviour looks back 14 days.
/// A type that some behaviour counts over all history (no window, or a half-life without expiry)
/// has no limit. Event types compare ignoring case, as the model's matchers do.
/// </summary>
public sealed class WatchedEvents
{
    /// <summary>A lookback with no limit: every event of the type, however old.</summary>
    public const long AllHistory = long.MaxValue;

    private readonly FrozenDictionary<string, long> _lookbackTicks;

    private WatchedEvents(IEnumerable<KeyValuePair<string, long>> lookbackTicks) =>
        _lookbackTicks = lookbackTicks.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The event types watched.</summary>
    public IEnumerable<string> Types => _lookbackTicks.Keys;

    /// <summary>Nothing watched: a model of fit rules only.</summary>
    public bool IsEmpty => _lookbackTicks.Count == 0;

    /// <summary>
    /// The events several models watch together (a re-score loads a contact's events once for every
    /// model): each type with the longest lookback any of them needs.
    /// </summary>
    public static WatchedEvents Union(IEnumerable<WatchedEvents> watched)
    {
        ArgumentNullException.ThrowIfNull(watched);
        return Longest(watched.SelectMany(w => w._lookbackTicks));
    }

    /// <summary>How far back an event of <paramref name="type"/> can count, in ticks; <see cref="AllHistory"/> for no limit, null when the type is not watched.</summary>
    public long? LookbackTicksOf(string type) => _lookbackTicks.TryGetValue(type, out var ticks) ? ticks : null;

    /// <summary>
    /// The oldest instant an event of a type looked back <paramref name="lookbackTicks"/> may carry and
    /// still count in a score as of <paramref name="asOf"/>; null when every event counts. An event
    /// counts while its age is under the window, so this instant itself is already outside: reading
    /// from it on is a little more than enough, never less.
    /// </summary>
    public static DateTimeOffset? OldestThatCounts(long lookbackTicks, DateTimeOffset asOf)
    {
        var oldest = asOf.UtcTicks - lookbackTicks;
        return lookbackTicks == AllHistory || oldest <= DateTimeOffset.UnixEpoch.UtcTicks
            ? null
            : new DateTimeOffset(oldest, TimeSpan.Zero);
    }

    /// <summary>Whether a score as of <paramref name="asOf"/> can depend on <paramref name="activity"/>: the rule a store's read must keep to.</summary>
    public bool MayCount(ActivityEvent activity, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return LookbackTicksOf(activity.Type) is { } lookback
            && (OldestThatCounts(lookback, asOf) is not { } oldest || activity.OccurredAtUtcTicks >= oldest.UtcTicks);
    }

    internal static WatchedEvents Of(IEnumerable<EventMatcher> matchers) =>
        Longest(matchers.Select(m => KeyValuePair.Create(m.Type, m.WindowTicks)));

    private static WatchedEvents Longest(IEnumerable<KeyValuePair<string, long>> lookbacks)
    {
        var longest = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (type, ticks) in lookbacks)
        {
            longest[type] = Math.Max(ticks, longest.GetValueOrDefault(type));
        }

        return new WatchedEvents(longest);
    }
}
