using LeadScore.Engine.Scoring;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Review;

/// <summary>
/// One lead as the review judges it: its score card at the moment of its outcome (or at the end of the
/// period when it did not convert), whether it converted within the period, its fields, and the event
/// types it did in the 30 days before that moment (its recent behaviours).
/// </summary>
public sealed record ReviewedLead(ScoreCard Card, bool Converted)
{
    public IReadOnlyDictionary<string, FieldValue> Fields { get; init; } = new Dictionary<string, FieldValue>();

    public IReadOnlyCollection<string> Behaviours { get; init; } = [];
}
