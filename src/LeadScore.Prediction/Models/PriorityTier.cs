namespace LeadScore.Prediction.Models;

/// <summary>Who to call first: where a lead's probability falls among the training leads' (quartiles unless configured otherwise).</summary>
public enum PriorityTier
{
    Low,
    Medium,
    High,
    VeryHigh,
}
