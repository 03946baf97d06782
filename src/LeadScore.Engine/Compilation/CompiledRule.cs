using LeadScore.Engine.Model;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Compilation;

/// <summary>A rule ready to score: its field gate, its behaviour matcher and its category slot.</summary>
internal sealed class CompiledRule(Rule rule, int categoryIndex, CompiledCondition? when, EventMatcher? matcher)
{
    private const double VisibleChange = 0.5;

    public Rule Rule { get; } = rule;

    public int CategoryIndex { get; } = categoryIndex;

    public EventMatcher? Matcher { get; } = matcher;

    /// <summary>
    /// What a rule without a behaviour adds to the explanation when it fires: always its points and no events,
    /// so every card shares one (a bulk re-score would otherwise make one per fit rule per contact).
    /// </summary>
    public RuleScore? FixedScore { get; } = matcher is null ? new(rule.Key, rule.Category, rule.Points, rule.Critical, 0, [], false) : null;

    /// <summary>
    /// The points the rule awards now (0 when it does not fire), whether its own maximum cut them, and
    /// the earliest instant at which they may change by time alone. The field gate is evaluated once for both.
    /// </summary>
    public (double Points, bool Capped, long NextChange) Score(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch)
    {
        var gateOpen = when is null || when.Evaluate(fields, scratch);
        var (points, capped) = gateOpen ? Evaluate(scratch) : (0, false);
        return (points, capped, NextChange(fields, scratch, gateOpen));
    }

    private (double Points, bool Capped) Evaluate(ScoringScratch scratch)
    {
        if (Matcher is null)
        {
            return (Rule.Points, false);
        }

        var state = scratch.Matchers[Matcher.Index];
        if (!Matcher.Count.IsSatisfiedBy(state.Count))
        {
            return (0, false);
        }

        if (Rule.Per == Award.Once)
        {
            var factor = Matcher.Decays && state.Count > 0 ? Matcher.DecayFactor(scratch.AsOfTicks - state.NewestTicks) : 1.0;
            return (Rule.Points * factor, false);
        }

        return CapAtMax(Rule.Points * state.DecayedSum);
    }

    private long NextChange(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch, bool gateOpen)
    {
        var whenChange = when?.NextChange(fields, scratch) ?? CompiledCondition.Never;
        if (Matcher is null || !gateOpen)
        {
            return whenChange;
        }

        var state = scratch.Matchers[Matcher.Index];
        var next = Math.Min(whenChange, state.EarliestFutureTicks);
        if (!Matcher.Decays)
        {
            var now = ValueFor(state.Count);
            return Math.Min(next, Matcher.FirstExitWhere(state, scratch, (Rule: this, Now: now), static (remaining, a) => a.Rule.ValueFor(remaining) != a.Now));
        }

        next = Math.Min(next, Matcher.FirstExitWhere(state, scratch, 0, static (_, _) => true));
        return Math.Min(next, HalfLifeChange(state, scratch));
    }

    // Decay is continuous, so the next change worth a re-score is when the rule has lost half a point:
    // enough to move the rounded total. Decayed events share one half-life, so their sum S decays as
    // S * 0.5^(t / h), and the value min(S, max) is down by half a point after h * log2(S / (value - 0.5)).
    private long HalfLifeChange(MatcherState state, ScoringScratch scratch)
    {
        if (!Matcher!.Count.IsSatisfiedBy(state.Count) || state.Count == 0)
        {
            return CompiledCondition.Never;
        }

        var sum = Math.Abs(Rule.Points) * (Rule.Per == Award.Once
            ? Matcher.DecayFactor(scratch.AsOfTicks - state.NewestTicks)
            : state.DecayedSum);
        var value = Rule.Per == Award.Once ? sum : Math.Min(sum, Rule.MaxPoints ?? double.PositiveInfinity);
        if (value <= VisibleChange)
        {
            return CompiledCondition.Never;
        }

        var waitTicks = Matcher.HalfLifeTicks * Math.Log2(sum / (value - VisibleChange));
        var at = scratch.AsOfTicks + Math.Ceiling(waitTicks);
        return at >= long.MaxValue ? CompiledCondition.Never : Math.Max(scratch.AsOfTicks + 1, (long)at);
    }

    private double ValueFor(int count)
    {
        if (!Matcher!.Count.IsSatisfiedBy(count))
        {
            return 0;
        }

        return Rule.Per == Award.Once ? Rule.Points : CapAtMax(Rule.Points * count).Points;
    }

    private (double Points, bool Capped) CapAtMax(double points) =>
        Rule.MaxPoints is { } max && Math.Abs(points) > max ? (Math.CopySign(max, points), true) : (points, false);
}
