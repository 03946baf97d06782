using LeadScore.Engine.Scoring;

namespace LeadScore.Prediction.Models;

/// <summary>One row's calibrated probability to convert (0 to 1), its tier and its strongest factors.</summary>
public sealed record LeadPrediction(string Id, double Probability, PriorityTier Tier, IReadOnlyList<Factor> Factors)
{
    /// <summary>The strongest factors that raised the probability, strongest first (at most 3).</summary>
    public IReadOnlyList<Factor> Raising { get; init; } = [];

    /// <summary>The strongest factors that lowered it, strongest first (at most 3).</summary>
    public IReadOnlyList<Factor> Lowering { get; init; } = [];

    /// <summary>The probability as a whole percent, as shown to sales: 22 means a 22% chance.</summary>
    public int Percent => (int)Math.Round(Probability * 100, MidpointRounding.AwayFromZero);
}
