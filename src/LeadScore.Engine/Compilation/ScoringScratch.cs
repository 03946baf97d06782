using LeadScore.Engine.Values;

namespace LeadScore.Engine.Compilation;

/// <summary>
/// Per-thread working memory for scoring one record: what each behaviour matcher found in a single
/// pass over the events. Reused from record to record so that bulk scoring does not allocate it.
/// </summary>
internal sealed class ScoringScratch
{
    public ScoringScratch(int matcherCount)
    {
        Matchers = new MatcherState[matcherCount];
        for (var i = 0; i < matcherCount; i++)
        {
            Matchers[i] = new MatcherState();
        }
    }

    public MatcherState[] Matchers { get; }

    public IReadOnlyDictionary<string, FieldValue> Fields { get; set; } = null!;

    public IReadOnlyList<Subjects.ActivityEvent> Events { get; set; } = [];

    public long AsOfTicks { get; set; }

    public void Reset()
    {
        foreach (var matcher in Matchers)
        {
            matcher.Reset();
        }
    }
}

/// <summary>The events one matcher counted for the current record.</summary>
internal sealed class MatcherState
{
    /// <summary>Indices (into the record's events) of the events that count now.</summary>
    public List<int> Counted { get; } = [];

    public int Count => Counted.Count;

    public long NewestTicks { get; set; }

    /// <summary>The sum of the counted events' half-life factors (each 1 when the matcher does not decay).</summary>
    public double DecayedSum { get; set; }

    /// <summary>The earliest matching event dated after the scoring instant: it will count from then on.</summary>
    public long EarliestFutureTicks { get; set; }

    public void Reset()
    {
        Counted.Clear();
        NewestTicks = long.MinValue;
        DecayedSum = 0;
        EarliestFutureTicks = long.MaxValue;
    }
}
