using LeadScore.Engine.Scoring;

namespace LeadScore.Prediction.Models;

/// <summary>
/// Probabilities at which the tiers start: the <see cref="Training.TrainingOptions.TierQuantiles"/>
/// (by default the quartiles) of the out-of-fold probabilities. A lead's tier is read from its
/// probability as shown, a whole percent, so two leads shown at the same percent always share a tier
/// (a cut at 7.2 % would otherwise put one 7 % lead in "high" and another in "very high").
/// </summary>
public sealed record TierCutPoints(double Medium, double High, double VeryHigh)
{
    public PriorityTier TierOf(double probability)
    {
        var percent = Percent(probability);
        return percent >= Percent(VeryHigh) ? PriorityTier.VeryHigh
            : percent >= Percent(High) ? PriorityTier.High
            : percent >= Percent(Medium) ? PriorityTier.Medium
            : PriorityTier.Low;
    }

    /// <summary>A probability as the API and the dashboard show it: a whole percent, halves rounded up.</summary>
    public static int Percent(double probability) => (int)Math.Round(probability * 100, MidpointRounding.AwayFromZero);
}
