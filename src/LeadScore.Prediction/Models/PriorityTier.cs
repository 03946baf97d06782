namespace LeadScore.Prediction.Models;

/// <summary>Who to call first: the quartile of the training leads' probabilities a lead falls in.</summary>
public enum PriorityTier
{
    Low,
    Medium,
    High,
    VeryHigh,
}
