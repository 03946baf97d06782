using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Compilation;

/// <summary>
/// A scoring model compiled once into a fast evaluator. Scoring a record makes one pass over its
/// events, handing each to the behaviours that watch its type, then evaluates the rules against
/// what was counted. Thread-safe: each thread scores with its own scratch memory.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Shared by concurrent scorers and dropped, never closed: ThreadLocal's finalizer frees the scratch of each thread.")]
public sealed class CompiledModel
{
    private readonly CompiledRule[] _rules;
    private readonly (string Key, CompiledCondition When)[] _requirements;
    private readonly (string Key, CompiledCondition When)[] _disqualifiers;
    private readonly (int Digit, CompiledCondition When)[] _segments;
    private readonly Threshold[] _thresholdsAscending;

    // The thresholds reached are always the lowest n of them; each prefix is built once, not per card.
    private readonly ImmutableArray<string>[] _thresholdPrefixes;

    // Each requirement's two possible results, built once: a card shares them.
    private readonly (RequirementResult Met, RequirementResult Unmet)[] _requirementResults;
    private readonly GradeBand[] _gradesDescending;
    private readonly Dictionary<string, int> _categoryIndex;
    private readonly FrozenDictionary<string, EventMatcher[]> _matchersByType;
    private readonly FrozenDictionary<string, EventMatcher[]> _matchersByExactType;
    private readonly ThreadLocal<ScoringScratch> _scratch;

    private CompiledModel(ScoringModel model)
    {
        Model = model;
        _categoryIndex = model.Categories.Select((c, i) => (c.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);

        var compiler = new ConditionCompiler();
        _disqualifiers = [.. model.Disqualifiers.Select(d => (d.Key, compiler.Compile(d.When)))];
        _requirements = [.. model.Requirements.Select(r => (r.Key, compiler.Compile(r.When)))];
        _segments = [.. model.Segments.Select(s => (s.Digit, compiler.Compile(s.When)))];
        _rules = [.. model.Rules.Select(rule => new CompiledRule(
            rule,
            _categoryIndex[rule.Category],
            rule.When is null ? null : compiler.Compile(rule.When),
            rule.Event is null ? null : compiler.AddMatcher(rule.Event, rule.Decay)))];

        _thresholdsAscending = [.. model.Thresholds.OrderBy(t => t.Points)];
        _thresholdPrefixes = [.. Enumerable.Range(0, _thresholdsAscending.Length + 1).Select(n => _thresholdsAscending.Take(n).Select(t => t.Key).ToImmutableArray())];
        _requirementResults = [.. _requirements.Select(r => (new RequirementResult(r.Key, true), new RequirementResult(r.Key, false)))];
        _gradesDescending = [.. model.Grades.OrderByDescending(g => g.Min)];
        _matchersByType = compiler.Matchers
            .GroupBy(m => m.Type, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
        _matchersByExactType = _matchersByType.ToFrozenDictionary(StringComparer.Ordinal);
        Watched = WatchedEvents.Of(compiler.Matchers);
        var (matcherCount, fieldSlotCount) = (compiler.Matchers.Count, compiler.FieldSlotCount);
        _scratch = new ThreadLocal<ScoringScratch>(() => new ScoringScratch(matcherCount, fieldSlotCount));
    }

    public ScoringModel Model { get; }

    /// <summary>The event types some rule or condition of the model looks at, and how far back each can count.</summary>
    public WatchedEvents Watched { get; }

    /// <summary>Compiles a valid model. A model with errors is a programming mistake here: validate it first.</summary>
    public static CompiledModel Compile(ScoringModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var validation = ModelValidator.Validate(model);
        if (!validation.IsValid)
        {
            throw new ArgumentException(
                $"Model '{model.Key}' has errors and cannot be compiled: {string.Join("; ", validation.Errors)}", nameof(model));
        }

        return new CompiledModel(model);
    }

    /// <summary>Scores a record as of an instant; events dated after it are ignored.</summary>
    public ScoreCard Score(ScoringSubject subject, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var scratch = _scratch.Value!;
        scratch.Reset();
        scratch.Fields = subject.Fields;
        scratch.Events = subject.Events;
        scratch.AsOfTicks = asOf.UtcTicks;
        CountBehaviours(subject.Events, scratch);

        var fields = subject.Fields;
        var next = CompiledCondition.Never;
        string? disqualifiedBy = null;
        foreach (var (key, when) in _disqualifiers)
        {
            next = Math.Min(next, when.NextChange(fields, scratch));
            if (disqualifiedBy is null && when.Evaluate(fields, scratch))
            {
                disqualifiedBy = key;
            }
        }

        var requirements = _requirements.Length == 0 ? [] : new RequirementResult[_requirements.Length];
        for (var i = 0; i < requirements.Length; i++)
        {
            var when = _requirements[i].When;
            requirements[i] = when.Evaluate(fields, scratch) ? _requirementResults[i].Met : _requirementResults[i].Unmet;
            next = Math.Min(next, when.NextChange(fields, scratch));
        }

        var segment = 0;
        foreach (var (digit, when) in _segments)
        {
            next = Math.Min(next, when.NextChange(fields, scratch));
            if (when.Evaluate(fields, scratch))
            {
                segment = digit;
                break;
            }
        }

        if (disqualifiedBy is not null)
        {
            return new ScoreCard(Model.Key, subject.Id, asOf, score: 0, points: 0, segment, ImmutableCollectionsMarshal.AsImmutableArray(requirements), disqualifiedBy,
                grade: null, thresholds: [], categories: [], rules: [], adjustments: [], scaleCapped: false, ToInstant(next));
        }

        var raw = new double[Model.Categories.Length];
        var ruleScores = scratch.RuleScores;
        ruleScores.Clear();
        foreach (var rule in _rules)
        {
            var (awarded, capped, change) = rule.Score(fields, scratch);
            next = Math.Min(next, change);
            if (awarded == 0)
            {
                continue;
            }

            raw[rule.CategoryIndex] += awarded;
            ruleScores.Add(Explain(rule, awarded, capped, subject.Events, scratch));
        }

        var adjustments = ApplyAdjustments(subject.Adjustments, asOf, raw, ref next);
        var categories = ImmutableArray.CreateBuilder<CategoryScore>(raw.Length);
        var total = 0.0;
        for (var i = 0; i < raw.Length; i++)
        {
            var category = Model.Categories[i];
            var capped = Math.Clamp(raw[i], 0, Math.Max(category.Budget, 0));
            total += capped;
            categories.Add(new CategoryScore(category.Key, category.Dimension, category.Budget, raw[i], capped));
        }

        var rounded = (int)Math.Round(total, MidpointRounding.AwayFromZero);
        var points = Math.Min(rounded, Model.Scale);
        var requirementResults = ImmutableCollectionsMarshal.AsImmutableArray(requirements);
        var qualified = requirementResults.All(r => r.Met);
        var requirementsMet = requirementResults.Count(r => r.Met);
        var score = Model.Encoding == ScoreEncoding.Composite ? CompositeScore.Encode(segment, requirementsMet, points) : points;

        return new ScoreCard(Model.Key, subject.Id, asOf, score, points, segment, requirementResults, disqualifiedBy: null,
            GradeFor(points), qualified ? ThresholdsReached(points) : [], categories.MoveToImmutable(), [.. CollectionsMarshal.AsSpan(ruleScores)],
            adjustments, scaleCapped: rounded > Model.Scale, ToInstant(next));
    }

    private void CountBehaviours(IReadOnlyList<ActivityEvent> events, ScoringScratch scratch)
    {
        if (_matchersByType.Count == 0)
        {
            return;
        }

        for (var i = 0; i < events.Count; i++)
        {
            var activity = events[i];
            // Senders nearly always spell a type as the model does: an ordinal lookup first, then the case-insensitive one.
            if (_matchersByExactType.TryGetValue(activity.Type, out var matchers) || _matchersByType.TryGetValue(activity.Type, out matchers))
            {
                foreach (var matcher in matchers)
                {
                    matcher.Offer(activity, i, scratch);
                }
            }
        }
    }

    private static RuleScore Explain(CompiledRule rule, double points, bool capped, IReadOnlyList<ActivityEvent> events, ScoringScratch scratch)
    {
        if (rule.Matcher is not { } matcher)
        {
            return rule.FixedScore!;
        }

        var counted = scratch.Matchers[matcher.Index].Counted;
        var ids = new string[counted.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = events[counted[i]].Id;
        }

        // The array is new and never written again: it becomes the immutable array without a copy.
        return new RuleScore(rule.Rule.Key, rule.Rule.Category, points, rule.Rule.Critical, counted.Count,
            ImmutableCollectionsMarshal.AsImmutableArray(ids), capped);
    }

    // Adjustments belong to a model's categories; one naming a category this model lacks is another model's.
    private ImmutableArray<AdjustmentScore> ApplyAdjustments(IReadOnlyList<ScoreAdjustment> adjustments, DateTimeOffset asOf, double[] raw, ref long next)
    {
        if (adjustments.Count == 0)
        {
            return [];
        }

        var applied = ImmutableArray.CreateBuilder<AdjustmentScore>();
        foreach (var adjustment in adjustments)
        {
            if (!adjustment.IsActiveAt(asOf) || !_categoryIndex.TryGetValue(adjustment.Category, out var index))
            {
                continue;
            }

            raw[index] += adjustment.Points;
            applied.Add(new AdjustmentScore(adjustment.Category, adjustment.Points, adjustment.Reason, adjustment.ExpiresAt));
            if (adjustment.ExpiresAt is { } expires)
            {
                next = Math.Min(next, expires.UtcTicks);
            }
        }

        return applied.ToImmutable();
    }

    private string? GradeFor(int points)
    {
        foreach (var band in _gradesDescending)
        {
            if (band.Min <= points)
            {
                return band.Grade;
            }
        }

        return null;
    }

    private ImmutableArray<string> ThresholdsReached(int points)
    {
        var reached = 0;
        while (reached < _thresholdsAscending.Length && points >= _thresholdsAscending[reached].Points)
        {
            reached++;
        }

        return _thresholdPrefixes[reached];
    }

    private static DateTimeOffset? ToInstant(long ticks) =>
        ticks >= DateTimeOffset.MaxValue.UtcTicks ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
