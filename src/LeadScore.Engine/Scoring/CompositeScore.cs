namespace LeadScore.Engine.Scoring;

/// <summary>
/// The composite score format: segment x 1000 + requirements met x 100 + points (at most 99), so
/// that 2389 reads as a mid-size lead (2) with all three must-haves (3) and 89 points.
/// </summary>
public static class CompositeScore
{
    public static int Encode(int segment, int requirementsMet, int points)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segment);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segment, 9);
        ArgumentOutOfRangeException.ThrowIfNegative(requirementsMet);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(requirementsMet, 9);
        ArgumentOutOfRangeException.ThrowIfNegative(points);
        return (segment * 1000) + (requirementsMet * 100) + Math.Min(points, Model.ScoringModel.MaxCompositePoints);
    }

    /// <summary>Splits a composite score back into its segment digit, requirements met and points.</summary>
    public static (int Segment, int RequirementsMet, int Points) Decode(int score)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(score);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(score, 9999);
        return (score / 1000, score / 100 % 10, score % 100);
    }
}
