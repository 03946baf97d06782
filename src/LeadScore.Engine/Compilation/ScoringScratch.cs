using LeadScore.Engine.Values;

namespace LeadScore.Engine.Compilation;

/// <summary>
/// Per-thread working memory for scoring one record: what each behaviour matcher found in a single
/// pass over the events. Reused from record to record so that bulk scoring does not allocate it.
/// </summary>
internal sealed class ScoringScratch
{
    private readonly FieldValue[] _fieldValues;
    private readonly int[] _fieldStamps;
    private IReadOnlyDictionary<string, FieldValue> _fields = null!;

    // Which record the field slots were read for: a slot whose stamp differs is stale. Starts above the
    // slots' zeroes, so that nothing is cached before the first record.
    private int _stamp = 1;

    public ScoringScratch(int matcherCount, int fieldSlotCount)
    {
        Matchers = new MatcherState[matcherCount];
        for (var i = 0; i < matcherCount; i++)
        {
            Matchers[i] = new MatcherState();
        }

        _fieldValues = new FieldValue[fieldSlotCount];
        _fieldStamps = new int[fieldSlotCount];
    }

    public MatcherState[] Matchers { get; }

    /// <summary>The fields of the record being scored. Setting them forgets the field slots read for the last one.</summary>
    public IReadOnlyDictionary<string, FieldValue> Fields
    {
        get => _fields;
        set
        {
            _fields = value;
            if (++_stamp == int.MaxValue)
            {
                Array.Clear(_fieldStamps);
                _stamp = 1;
            }
        }
    }

    public IReadOnlyList<Subjects.ActivityEvent> Events { get; set; } = [];

    public long AsOfTicks { get; set; }

    /// <summary>The rules that awarded points to the current record, gathered before the card copies them once.</summary>
    public List<Scoring.RuleScore> RuleScores { get; } = [];

    /// <summary>
    /// The record's value of a field the model reads (missing when the record lacks it), looked up once per
    /// record: a model tests the same field in several rules, and each lookup hashes the name and reads the
    /// record's entries from memory.
    /// </summary>
    public FieldValue RecordField(int slot, string name)
    {
        if (_fieldStamps[slot] != _stamp)
        {
            _fieldValues[slot] = _fields.TryGetValue(name, out var value) ? value : FieldValue.Missing;
            _fieldStamps[slot] = _stamp;
        }

        return _fieldValues[slot];
    }

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
    private long[] _exits = [];

    /// <summary>Indices (into the record's events) of the events that count now.</summary>
    public List<int> Counted { get; } = [];

    public int Count => Counted.Count;

    public long NewestTicks { get; set; }

    /// <summary>The sum of the counted events' half-life factors (each 1 when the matcher does not decay).</summary>
    public double DecayedSum { get; set; }

    /// <summary>The earliest matching event dated after the scoring instant: it will count from then on.</summary>
    public long EarliestFutureTicks { get; set; }

    /// <summary>Whether the first <see cref="Count"/> slots of the exit buffer hold this record's exit times, sorted.</summary>
    public bool ExitsSorted { get; set; }

    /// <summary>Reusable room for the counted events' exit times: records differ, the buffer stays.</summary>
    public Span<long> ExitBuffer(int length)
    {
        if (_exits.Length < length)
        {
            _exits = new long[Math.Max(length, _exits.Length * 2)];
        }

        return _exits.AsSpan(0, length);
    }

    public void Reset()
    {
        Counted.Clear();
        NewestTicks = long.MinValue;
        DecayedSum = 0;
        EarliestFutureTicks = long.MaxValue;
        ExitsSorted = false;
    }
}
