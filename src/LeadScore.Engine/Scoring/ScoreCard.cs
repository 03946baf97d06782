using System.Collections.Immutable;
using LeadScore.Engine.Model;

namespace LeadScore.Engine.Scoring;

/// <summary>
/// A record's score under one model at one instant, with its explanation: points per category and
/// rule, the events that counted, what was capped, and when the score will next change by itself.
/// </summary>
public sealed class ScoreCard
{
    internal ScoreCard(
        string modelKey,
        string subjectId,
        DateTimeOffset asOf,
        int score,
        int points,
        int segment,
        ImmutableArray<RequirementResult> requirements,
        string? disqualifiedBy,
        string? grade,
        ImmutableArray<string> thresholds,
        ImmutableArray<CategoryScore> categories,
        ImmutableArray<RuleScore> rules,
        ImmutableArray<AdjustmentScore> adjustments,
        bool scaleCapped,
        DateTimeOffset? nextChangeAt)
    {
        ModelKey = modelKey;
        SubjectId = subjectId;
        AsOf = asOf;
        Score = score;
        Points = points;
        Segment = segment;
        Requirements = requirements;
        DisqualifiedBy = disqualifiedBy;
        Grade = grade;
        Thresholds = thresholds;
        Categories = categories;
        Rules = rules;
        Adjustments = adjustments;
        ScaleCapped = scaleCapped;
        NextChangeAt = nextChangeAt;
    }

    public string ModelKey { get; }

    public string SubjectId { get; }

    /// <summary>The instant the score is for; events after it were ignored.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>The number shown to people: composite (segment, requirements, points) or the points alone.</summary>
    public int Score { get; }

    /// <summary>The rounded sum of the capped categories, at most the scale; 0 when disqualified.</summary>
    public int Points { get; }

    /// <summary>The segment digit (0 when no segment entry matched).</summary>
    public int Segment { get; }

    public ImmutableArray<RequirementResult> Requirements { get; }

    public int RequirementsMet => Requirements.Count(r => r.Met);

    public bool Disqualified => DisqualifiedBy is not null;

    /// <summary>The key of the disqualifier that matched, if any.</summary>
    public string? DisqualifiedBy { get; }

    /// <summary>All requirements met and not disqualified: the lead may go to sales.</summary>
    public bool Qualified => !Disqualified && Requirements.All(r => r.Met);

    public string? Grade { get; }

    /// <summary>The keys of the thresholds reached, lowest first.</summary>
    public ImmutableArray<string> Thresholds { get; }

    public ImmutableArray<CategoryScore> Categories { get; }

    /// <summary>The rules that awarded (or removed) points, in model order.</summary>
    public ImmutableArray<RuleScore> Rules { get; }

    public ImmutableArray<AdjustmentScore> Adjustments { get; }

    /// <summary>True when the categories added up to more than the scale and the points were cut to it.</summary>
    public bool ScaleCapped { get; }

    /// <summary>When the score may change with no new data (a window closes, points decay, an adjustment expires).</summary>
    public DateTimeOffset? NextChangeAt { get; }
}

/// <summary>Whether one must-have is met.</summary>
public sealed record RequirementResult(string Key, bool Met);

/// <summary>
/// A category's points: <see cref="Raw"/> is the sum of its rules and adjustments, <see cref="Points"/>
/// that sum capped at the budget and floored at 0.
/// </summary>
public sealed record CategoryScore(string Key, Dimension Dimension, double Budget, double Raw, double Points)
{
    public bool Capped => Raw > Budget;

    public bool Floored => Raw < 0;
}

/// <summary>
/// What one rule awarded: its points (fractional when decayed), how many events matched, which
/// events counted, and whether the rule's own maximum cut its points.
/// </summary>
public sealed record RuleScore(
    string Rule,
    string Category,
    double Points,
    bool Critical,
    int MatchedEvents,
    ImmutableArray<string> EventIds,
    bool CappedAtMax);

/// <summary>A manual adjustment that counted in a category.</summary>
public sealed record AdjustmentScore(string Category, double Points, string Reason, DateTimeOffset? ExpiresAt);
