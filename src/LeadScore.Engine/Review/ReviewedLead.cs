using LeadScore.Engine.Scoring;

namespace LeadScore.Engine.Review;

/// <summary>
/// One lead as the review judges it: its score card at the moment of its outcome (or at the end of the
/// period when it did not convert), and whether it converted within the period.
/// </summary>
public sealed record ReviewedLead(ScoreCard Card, bool Converted);
