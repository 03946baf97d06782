using LeadScore.Engine.Model;
using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Compilation;

/// <summary>
/// One behaviour of the model (a rule's <c>event</c> or an <c>event</c> condition), compiled: the
/// event pass hands it every event of its type, and it keeps those that count in its
/// <see cref="MatcherState"/>.
/// </summary>
internal sealed class EventMatcher
{
    private static readonly double Ln2 = Math.Log(2);

    public EventMatcher(int index, EventMatch match, CompiledCondition? where, Decay? decay)
    {
        Index = index;
        Type = match.Type;
        Where = where;
        Count = match.Count ?? CountCheck.AtLeastOne;
        var within = match.Within?.Ticks ?? long.MaxValue;
        var expires = decay is ExpiresAfterDecay expiry ? expiry.After.Ticks : long.MaxValue;
        WindowTicks = Math.Min(within, expires);
        HalfLifeTicks = decay is HalfLifeDecay halfLife ? halfLife.HalfLife.Ticks : 0;
    }

    public int Index { get; }

    public string Type { get; }

    public CompiledCondition? Where { get; }

    public CountCheck Count { get; }

    /// <summary>How old an event may be and still count: the shorter of <c>within</c> and <c>expiresAfter</c>.</summary>
    public long WindowTicks { get; }

    public long HalfLifeTicks { get; }

    public bool HasWindow => WindowTicks != long.MaxValue;

    public bool Decays => HalfLifeTicks > 0;

    public void Offer(ActivityEvent activity, int eventIndex, ScoringScratch scratch)
    {
        var ticks = activity.OccurredAtUtcTicks;
        // An event already outside the window cannot count: skip it before reading its properties.
        if (ticks <= scratch.AsOfTicks && scratch.AsOfTicks - ticks >= WindowTicks)
        {
            return;
        }

        if (Where is not null && !Where.Evaluate(activity.Properties, scratch))
        {
            return;
        }

        var state = scratch.Matchers[Index];
        if (ticks > scratch.AsOfTicks)
        {
            // Not yet happened at the scoring instant: it will count from its time on.
            state.EarliestFutureTicks = Math.Min(state.EarliestFutureTicks, ticks);
            return;
        }

        var age = scratch.AsOfTicks - ticks;
        if (age >= WindowTicks)
        {
            return;
        }

        state.Counted.Add(eventIndex);
        state.NewestTicks = Math.Max(state.NewestTicks, ticks);
        state.DecayedSum += Decays ? DecayFactor(age) : 1.0;
    }

    /// <summary>0.5^(age / half-life); 1 for a matcher that does not decay.</summary>
    public double DecayFactor(long ageTicks) => Decays ? Math.Exp(-Ln2 * ageTicks / HalfLifeTicks) : 1.0;

    /// <summary>
    /// Walks the counted events as they leave the window, oldest first, and returns the instant of the
    /// first exit after which <paramref name="changed"/> holds for the number remaining. The predicate
    /// takes its state as an argument, so that a static lambda allocates nothing per record.
    /// </summary>
    public long FirstExitWhere<TArg>(MatcherState state, ScoringScratch scratch, TArg arg, Func<int, TArg, bool> changed)
    {
        if (!HasWindow || state.Count == 0)
        {
            return CompiledCondition.Never;
        }

        var exits = SortedExitTimes(state, scratch);
        for (var gone = 1; gone <= exits.Length; gone++)
        {
            if (changed(exits.Length - gone, arg))
            {
                return exits[gone - 1];
            }
        }

        return CompiledCondition.Never;
    }

    /// <summary>The instants at which the counted events leave the window, earliest first; computed once per record.</summary>
    private ReadOnlySpan<long> SortedExitTimes(MatcherState state, ScoringScratch scratch)
    {
        if (!state.ExitsSorted)
        {
            var exits = state.ExitBuffer(state.Count);
            for (var i = 0; i < exits.Length; i++)
            {
                exits[i] = scratch.Events[state.Counted[i]].OccurredAtUtcTicks + WindowTicks;
            }

            exits.Sort();
            state.ExitsSorted = true;
        }

        return state.ExitBuffer(state.Count);
    }
}
