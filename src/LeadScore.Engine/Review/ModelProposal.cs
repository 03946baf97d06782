using System.Collections.Immutable;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;

namespace LeadScore.Engine.Review;

/// <summary>
/// The review's suggested model: its JSON (the published model's, with points re-distributed, rules
/// added or dropped and the MQL threshold moved; everything else as its authors wrote it), the changes
/// in words, and a backtest beside the published model on the leads of the review.
/// </summary>
public sealed record ModelProposal(string Json, ScoringModel Model, ImmutableArray<ModelChange> Changes, BacktestReport Backtest)
{
    /// <summary>
    /// The validator's warnings on the proposed model, such as one rule able to reach a threshold alone:
    /// the data may favour a single behaviour more than the method advises, and a person decides.
    /// </summary>
    public ImmutableArray<ModelDiagnostic> Warnings { get; init; } = [];

    public bool ChangesAnything => !Changes.IsEmpty;
}

/// <summary>What the proposal does to one part of the model.</summary>
public enum ChangeKind
{
    /// <summary>A rule's points (and, per occurrence, its maximum) changed.</summary>
    Points,

    /// <summary>A candidate rule from the traits of misjudged leads was added.</summary>
    Added,

    /// <summary>A rule was dropped: leads it fires for convert no more often than the rest.</summary>
    Removed,

    /// <summary>A threshold moved.</summary>
    Threshold,
}

/// <summary>
/// One line of the readable diff: <see cref="Subject"/> is the rule or threshold key, <see cref="Before"/>
/// and <see cref="After"/> its points in words (null when added or removed), <see cref="Why"/> the evidence.
/// </summary>
public sealed record ModelChange(ChangeKind Kind, string Subject, string? Before, string? After, string Why)
{
    public string Describe() => Kind switch
    {
        ChangeKind.Added => $"+ rule {Subject}: {After} ({Why})",
        ChangeKind.Removed => $"- rule {Subject}: {Before}, removed ({Why})",
        ChangeKind.Threshold => $"~ threshold {Subject}: {Before} -> {After} ({Why})",
        _ => $"~ rule {Subject}: {Before} -> {After} ({Why})",
    };
}

/// <summary>How the proposal is made.</summary>
public sealed record ProposalOptions
{
    /// <summary>Fewer converters (or non-converters) than this in the period and no proposal is made: the weights would be noise.</summary>
    public int MinimumOutcomes { get; init; } = 20;

    /// <summary>The MQL threshold is set for about this many MQLs in the period; when null, for the best F1 (precision and recall balanced).</summary>
    public int? MqlVolume { get; init; }

    /// <summary>At most this many candidate rules are added.</summary>
    public int MaxAddedRules { get; init; } = 3;

    /// <summary>A candidate is added only when its weight moves the log-odds of converting at least this much (0.4 is 1.5 times the odds).</summary>
    public double MinimumCandidateWeight { get; init; } = 0.4;

    /// <summary>The L2 penalty of the logistic regression.</summary>
    public double Penalty { get; init; } = 1.0;

    /// <summary>
    /// Fields the review leaves out, as training does (<c>--exclude</c>, the workspace's excluded predictive
    /// fields): no trait or rule is proposed on them, and rules that test them keep their points. A trailing
    /// * matches a prefix.
    /// </summary>
    public IReadOnlyCollection<string> ExcludedFields { get; init; } = [];

    /// <summary>How many earlier periods the rolling backtest fits on, each judged on the period after it, as far as the history goes.</summary>
    public int RollingPeriods { get; init; } = 3;

    /// <summary>The bootstrap resamples that estimate the noise of the out-of-time comparison.</summary>
    public int Resamples { get; init; } = 200;

    /// <summary>The seed of the bootstrap, so a review of the same data says the same.</summary>
    public int Seed { get; init; } = 27;
}

/// <summary>A proposal, or the reason there is none.</summary>
public sealed record ProposalResult(ModelProposal? Proposal, string? Refused);
