namespace LeadScore.Engine.Scoring;

/// <summary>Who to call first: where a lead's predicted probability falls among the training leads' (quartiles unless configured otherwise).</summary>
public enum PriorityTier
{
    Low,
    Medium,
    High,
    VeryHigh,
}

/// <summary>The tiers' names as users write and read them (<c>very high</c>), the one place text and <see cref="PriorityTier"/> meet.</summary>
public static class PriorityTiers
{
    /// <summary>The tiers' names, highest first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["very high", "high", "medium", "low"];

    public static string Name(PriorityTier tier) => tier switch
    {
        PriorityTier.VeryHigh => "very high",
        PriorityTier.High => "high",
        PriorityTier.Medium => "medium",
        PriorityTier.Low => "low",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Not a priority tier."),
    };

    /// <summary>The tier a user or the database wrote (<c>very high</c>, <c>very-high</c>, <c>Very High</c>), or null when it is none.</summary>
    public static PriorityTier? Named(string? text) => text?.Replace('-', ' ').Trim().ToLowerInvariant() switch
    {
        "very high" => PriorityTier.VeryHigh,
        "high" => PriorityTier.High,
        "medium" => PriorityTier.Medium,
        "low" => PriorityTier.Low,
        _ => null,
    };
}
