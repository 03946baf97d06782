using LeadScore.Engine.Scoring;

namespace LeadScore.Prediction.Models;

/// <summary>Probabilities at which the tiers start: the <see cref="Training.TrainingOptions.TierQuantiles"/> (by default the quartiles) of the out-of-fold probabilities.</summary>
public sealed record TierCutPoints(double Medium, double High, double VeryHigh)
{
    public PriorityTier TierOf(double probability) =>
        probability >= VeryHigh ? PriorityTier.VeryHigh
        : probability >= High ? PriorityTier.High
        : probability >= Medium ? PriorityTier.Medium
        : PriorityTier.Low;

}
