using System.Collections.Immutable;
using LeadScore.Engine.Scoring;

namespace LeadScore.Storage.Records;

/// <summary>
/// An open contact's latest prediction: the calibrated probability to convert within the model's
/// horizon (0 to 1), its priority tier, the strongest reasons each way (compared with the typical lead), and, when deal models exist,
/// the expected amount, days to close and expected value (probability x expected amount).
/// </summary>
public sealed record ContactPrediction(
    string ContactId,
    int ModelVersion,
    double Probability,
    PriorityTier Tier,
    ImmutableArray<PredictionFactor> Factors,
    double? ExpectedAmount,
    double? ExpectedDays,
    double? ExpectedValue,
    DateTimeOffset PredictedAt)
{
    /// <summary>The probability as a whole percent, as sales reads it: 22 means a 22% chance.</summary>
    public int Percent => (int)Math.Round(Probability * 100, MidpointRounding.AwayFromZero);

    /// <summary>What the tier is, like "top quarter of leads (7% or more)"; null for a prediction written before it was kept.</summary>
    public string? TierMeaning { get; init; }
}

/// <summary>
/// One reason for a prediction, in plain words, with how far it moved the model's score from the typical
/// lead's (positive raises).
/// </summary>
public sealed record PredictionFactor(string Text, double Weight)
{
    /// <summary>
    /// Its effect on this lead's probability, in percentage points (4 is "raises it by about 4 points");
    /// null for a reason written before sizes were kept.
    /// </summary>
    public double? Points { get; init; }
}
