using System.Globalization;
using LeadScore.Engine.Scoring;

namespace LeadScore.Prediction.Models;

/// <summary>
/// Probabilities at which the tiers start: the <see cref="Training.TrainingOptions.TierQuantiles"/>
/// (by default the quartiles) of the out-of-fold probabilities, in whole percents (<see cref="AtQuantiles"/>).
/// A lead's tier is read from its probability as shown, a whole percent, so two leads shown at the same
/// percent always share a tier (a cut at 7.2 % would otherwise put one 7 % lead in "high" and another in
/// "very high").
/// </summary>
public sealed record TierCutPoints(double Medium, double High, double VeryHigh)
{
    /// <summary>
    /// The cut points of <paramref name="probabilities"/> at the three quantiles, with ties pushed down: each
    /// tier starts at the lowest whole percent at or above which no more than its share of the leads lie
    /// (the top quarter holds at most a quarter). Percents are taken as shown, never below 1 %, so when most
    /// leads sit at the bottom (the store shows none below 1 %) they are "low" together, not "high"
    /// together as plain quantiles rounded to the percent would make them.
    /// </summary>
    public static TierCutPoints AtQuantiles(IReadOnlyList<double> probabilities, double q1, double q2, double q3)
    {
        var percents = probabilities.Select(p => Math.Max(1, Percent(p))).ToArray();
        // atLeast[p]: how many leads are shown at p percent or more, from one pass over them.
        var atLeast = new int[102];
        foreach (var percent in percents)
        {
            atLeast[Math.Min(percent, 100)]++;
        }

        for (var percent = 99; percent >= 0; percent--)
        {
            atLeast[percent] += atLeast[percent + 1];
        }

        double Cut(double quantile)
        {
            for (var percent = 1; percent <= 100; percent++)
            {
                if (atLeast[percent] <= (1 - quantile) * percents.Length + 1e-9)
                {
                    return percent / 100.0;
                }
            }

            return 1;
        }

        var cuts = new TierCutPoints(Cut(q1), Cut(q2), Cut(q3)) { Quantiles = [q1, q2, q3] };
        var counts = new double[4];
        foreach (var percent in percents)
        {
            counts[(int)cuts.TierOf(percent / 100.0)]++;
        }

        return cuts with { Shares = [.. counts.Select(c => percents.Length == 0 ? 0 : c / percents.Length)] };
    }

    /// <summary>
    /// The share of the training leads each tier held (low, medium, high, very high): ties pushed down make
    /// them differ from the quantiles, and a tier's meaning says what it really held. Null in models saved
    /// before they were kept, whose meaning then says the quantiles.
    /// </summary>
    public IReadOnlyList<double>? Shares { get; init; }

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
        if (Shares is [var low, var medium, var high, var veryHigh])
        {
            return tier switch
            {
                _ when Whole(Shares[(int)tier]) == 0 => null,
                PriorityTier.VeryHigh => $"top {Fraction(veryHigh)}",
                PriorityTier.High => string.Create(CultureInfo.InvariantCulture, $"top {Whole(veryHigh)}-{Whole(veryHigh + high)}%"),
                PriorityTier.Medium => string.Create(CultureInfo.InvariantCulture, $"top {Whole(veryHigh + high)}-{Whole(veryHigh + high + medium)}%"),
                _ => $"bottom {Fraction(low)}",
            };
        }

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
