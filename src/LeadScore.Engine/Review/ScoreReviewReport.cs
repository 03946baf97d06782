using System.Collections.Immutable;

namespace LeadScore.Engine.Review;

/// <summary>
/// How a scoring model's scores compared with what happened: health (do converters score higher, and
/// how well do points rank them), conversion by grade and by score decile, each threshold's
/// precision, recall and volume, each rule's firing rate and lift, the score distribution of converters
/// and of the rest, and the leads the score misjudged with their common traits.
/// </summary>
public sealed record ScoreReviewReport(
    string ModelKey,
    ReviewPeriod Period,
    int Leads,
    int Converted,
    ReviewHealth Health,
    ImmutableArray<GradeRow> Grades,
    ImmutableArray<DecileRow> Deciles,
    ImmutableArray<ThresholdRow> Thresholds,
    ImmutableArray<RuleRow> Rules,
    ImmutableArray<PointsBand> Distribution,
    LeadGroup LowScoreConverters,
    LeadGroup HighScoreNonConverters)
{
    public double ConversionRate => Leads == 0 ? 0 : (double)Converted / Leads;
}

/// <summary>The leads judged: open at <see cref="From"/> or created since, with outcomes up to <see cref="To"/>.</summary>
public sealed record ReviewPeriod(DateTimeOffset From, DateTimeOffset To)
{
    private static readonly int[] LongerPeriods = [90, 180, 365];

    public double Days => (To - From).TotalDays;

    /// <summary>
    /// What to do when the period has too few outcomes: review a longer one (the next of 90, 180 and 365
    /// days), or, when it is already a year, wait for more. Never suggests the length already reviewed.
    /// </summary>
    public string LongerPeriodAdvice() =>
        LongerPeriods.FirstOrDefault(d => d > Math.Round(Days)) is var longer and > 0
            ? $"Review a longer period (for example the last {longer} days, --since {longer}d) or wait for more outcomes."
            : "Wait for more outcomes to be recorded.";
}

/// <summary>
/// Leads whose points fall in [<see cref="From"/>, <see cref="To"/>]: how many converted and how many
/// did not (the score distribution of each), and the conversion rate in the band (how points read as a
/// chance to convert: the calibration of the score).
/// </summary>
public sealed record PointsBand(int From, int To, int Converted, int NotConverted)
{
    public int Leads => Converted + NotConverted;

    public double Rate => Leads == 0 ? 0 : (double)Converted / Leads;
}

/// <summary>Mean points of converters and of the rest, the ROC-AUC of points, and a verdict in words.</summary>
public sealed record ReviewHealth(double MeanPointsConverted, double MeanPointsNotConverted, double Auc, string Verdict);

public sealed record GradeRow(string Grade, int Leads, int Converted, double Rate);

/// <summary>Decile 1 holds the tenth of leads with the most points; lift is its rate over the overall rate.</summary>
public sealed record DecileRow(int Decile, int Leads, int Converted, double Rate, double Lift, double MinPoints, double MaxPoints);

/// <summary>Of the leads that reached the threshold (volume), the share that converted (precision), and the share of all converters they hold (recall).</summary>
public sealed record ThresholdRow(string Key, double Points, int Volume, int Converted, double Precision, double Recall);

/// <summary>
/// How often a rule gave points, the conversion rate with and without it, the lift (rate with over rate
/// without; null when no lead without it converted), its points now and the points the proposal
/// suggests (null without a proposal; 0 means remove it). For rules awarding per occurrence, points are
/// per occurrence and the maximum is given too.
/// </summary>
public sealed record RuleRow(string Rule, string Category, int Fires, double RateWhenFires, double RateWhenNot, double? Lift, double Points, bool PerOccurrence, double? MaxPoints)
{
    public double? SuggestedPoints { get; init; }

    public double? SuggestedMaxPoints { get; init; }
}

/// <summary>
/// Leads the score misjudged (converters below the MQL threshold, or non-converters above it): how many,
/// their ids (the first 100), and the traits over-represented among them compared with every lead,
/// as candidate rules (or candidate negative rules).
/// </summary>
public sealed record LeadGroup(string Threshold, int Count, ImmutableArray<string> Ids, ImmutableArray<TraitRow> Traits);

/// <summary>
/// A field value (<c>industry = saas</c>) or a recent behaviour (<c>did email_click in the last 30 days</c>),
/// how many leads of the group have it, its share there and among every lead, and the ratio of the two.
/// </summary>
public sealed record TraitRow(string Trait, string? Field, string? Value, string? Behaviour, int Count, double ShareInGroup, double ShareOverall, double Lift);
