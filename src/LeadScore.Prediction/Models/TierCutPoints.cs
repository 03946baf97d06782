using System.Globalization;
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
    /// <summary>
    /// The quantiles the cut points were taken at (medium, high, very high); null in models saved before
    /// they were kept, whose tiers are then described by their percents alone.
    /// </summary>
    public IReadOnlyList<double>? Quantiles { get; init; }

    public PriorityTier TierOf(double probability)
    {
        var percent = Percent(probability);
        return percent >= Percent(VeryHigh) ? PriorityTier.VeryHigh
            : percent >= Percent(High) ? PriorityTier.High
            : percent >= Percent(Medium) ? PriorityTier.Medium
            : PriorityTier.Low;
    }

    /// <summary>
    /// What <paramref name="tier"/> is, in words a salesperson can check: which share of the training
    /// leads it was cut at and the percents it holds, like "top quarter of leads (7% or more)".
    /// </summary>
    public string Meaning(PriorityTier tier)
    {
        int medium = Percent(Medium), high = Percent(High), veryHigh = Percent(VeryHigh);
        var (from, below) = tier switch
        {
            PriorityTier.VeryHigh => (veryHigh, (int?)null),
            PriorityTier.High => (high, veryHigh),
            PriorityTier.Medium => (medium, high),
            _ => (0, medium),
        };
        var percents = below switch
        {
            null => $"{from}% or more",
            { } b when b <= from => "none: its cut points round to the same percent",
            { } b when tier == PriorityTier.Low => $"below {b}%",
            { } b when b - 1 == from => $"{from}%",
            { } b => $"{from}% to {b - 1}%",
        };
        return Share(tier) is { } share ? $"{share} of leads ({percents})" : $"leads at {percents}";
    }

    /// <summary>A probability as the API and the dashboard show it: a whole percent, halves rounded up.</summary>
    public static int Percent(double probability) => (int)Math.Round(probability * 100, MidpointRounding.AwayFromZero);

    /// <summary>"top quarter", "top 25-50%", "bottom 10%": where the tier was cut among the training leads.</summary>
    private string? Share(PriorityTier tier)
    {
        if (Quantiles is not [var q1, var q2, var q3])
        {
            return null;
        }

        return tier switch
        {
            PriorityTier.VeryHigh => $"top {Fraction(1 - q3)}",
            PriorityTier.High => string.Create(CultureInfo.InvariantCulture, $"top {Whole(1 - q3)}-{Whole(1 - q2)}%"),
            PriorityTier.Medium => string.Create(CultureInfo.InvariantCulture, $"top {Whole(1 - q2)}-{Whole(1 - q1)}%"),
            _ => $"bottom {Fraction(q1)}",
        };
    }

    private static string Fraction(double share) => Whole(share) switch
    {
        25 => "quarter",
        50 => "half",
        var whole => string.Create(CultureInfo.InvariantCulture, $"{whole}%"),
    };

    private static int Whole(double share) => (int)Math.Round(share * 100, MidpointRounding.AwayFromZero);
}
