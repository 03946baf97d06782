using LeadScore.Engine.Scoring;

namespace LeadScore.Prediction.Models;

/// <summary>
/// One row's calibrated probability to convert (0 to 1), its tier and its strongest factors, each
/// compared with the typical training lead (see <see cref="Factor"/>).
/// </summary>
public sealed record LeadPrediction(string Id, double Probability, PriorityTier Tier, IReadOnlyList<Factor> Factors)
{
    /// <summary>The values that raise this lead's probability above the typical lead's most, strongest first (at most 3).</summary>
    public IReadOnlyList<Factor> Raising { get; init; } = [];

    /// <summary>The values that lower it below the typical lead's most, strongest first (at most 3).</summary>
    public IReadOnlyList<Factor> Lowering { get; init; } = [];

    /// <summary>What the tier is: the share of training leads it was cut at and its percents, like "top quarter of leads (7% or more)".</summary>
    public string TierMeaning { get; init; } = "";

    /// <summary>The probability as a whole percent, as shown to sales: 22 means a 22% chance.</summary>
    public int Percent => (int)Math.Round(Probability * 100, MidpointRounding.AwayFromZero);
}
