using LeadScore.Engine.Compilation;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Scoring;

/// <summary>
/// The condition a re-score's event query (alias <c>e</c>) reads with, so that it keeps to
/// <see cref="WatchedEvents"/>: the watched types, grouped by how far back they count, each group from
/// its oldest instant that may count. When every type has a limit, the oldest of those instants also
/// bounds the scan itself: events are keyed by contact and time, so each contact's range then starts
/// there instead of at its first event, and a long history's old pages are never read.
/// </summary>
internal sealed class EventsSince
{
    private readonly (List<string> Types, long? SinceUs)[] _groups;
    private readonly long? _floorUs;

    private EventsSince((List<string> Types, long? SinceUs)[] groups)
    {
        _groups = groups;
        _floorUs = groups.All(g => g.SinceUs is not null) ? groups.Min(g => g.SinceUs) : null;
    }

    public static EventsSince Of(WatchedEvents watched, DateTimeOffset asOf) =>
        new([.. watched.Types
            .GroupBy(type => WatchedEvents.OldestThatCounts(watched.LookbackTicksOf(type)!.Value, asOf) is { } oldest ? Micros.From(oldest) : (long?)null)
            .Select(group => (group.Select(type => type.ToLowerInvariant()).ToList(), group.Key))]);

    public string Filter(SqlDialect dialect)
    {
        var groups = _groups.Select((group, i) => group.SinceUs is null
            ? dialect.InList("lower(e.type)", $"@types{i}")
            : $"({dialect.InList("lower(e.type)", $"@types{i}")} AND e.occurred_at_us >= @since{i})");
        return $"({string.Join(" OR ", groups)})" + (_floorUs is null ? string.Empty : " AND e.occurred_at_us >= @floor");
    }

    public void Bind(HotStatement query)
    {
        for (var i = 0; i < _groups.Length; i++)
        {
            query.SetList($"@types{i}", _groups[i].Types);
            if (_groups[i].SinceUs is { } since)
            {
                query.Set($"@since{i}", since);
            }
        }

        if (_floorUs is { } floor)
        {
            query.Set("@floor", floor);
        }
    }
}
