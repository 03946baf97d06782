using System.Globalization;
using LeadScore.Engine.Review;

namespace LeadScore.Server.Features.Reviews;

/// <summary>
/// The words and numbers of the review, shared by the Markdown and the HTML so both read the same:
/// invariant culture everywhere (a report mailed around must not change with the server's locale).
/// </summary>
internal static class ReviewFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>How many lead ids the report lists before "and N more"; the engine keeps 100, a reader wants a few to look up.</summary>
    public const int IdsShown = 10;

    public const string AucMeaning = "the chance a converter scores above a lead that did not convert; 0.5 is a coin toss, 1 a perfect ranking";

    public const string DistributionIntro =
        "Where each group's leads fall on the points scale, as a share of the group, so converters and the rest compare at any size. " +
        "A good score puts the converters in the high bands and the rest in the low ones.";

    public const string CalibrationIntro = "The conversion rate in each points band, with how many leads it holds: it should climb with the points.";

    public const string ThresholdsIntro =
        "Volume is the leads that reached the threshold; precision the share of them that converted; recall the share of all converters it caught.";

    public const string RulesIntro =
        "Lift is the conversion rate when the rule fires over the rate when it does not (n/a when no lead without it converted). " +
        "Suggested is the proposal's points; remove means the proposal drops the rule.";

    public const string BacktestIntro = "Both models replayed over the same leads, each lead at the instant it was judged. " +
        "The proposal was fitted on these very leads, so this backtest flatters it: backtest the draft over a later period before publishing it.";

    public const string WarningsIntro = "What the validator says of the proposed model (the data may favour one behaviour more than the method advises; you decide):";

    public const string ReviewWarningsIntro = "Look at these first:";

    public const string OutOfTimeIntro = "The same method fitted on older leads and judged on newer ones it never saw: the older part of the period against its " +
        "newest third, and each earlier period against the one after it. ROC-AUC as the review judges (each lead at its outcome) and as a forecast " +
        "(the leads open when the judged period began, by who converted in it). The interval is a 95% bootstrap over the judged leads: " +
        "a proposal is made only when all of it is above zero.";

    public const string UnconfirmedIntro = "Fitted on the whole period, not saved as a draft: review again when more outcomes are in.";

    public const string WindowsIntro = "How long each behaviour keeps predicting: the rule replayed with other windows and half-lives, " +
        "by the ROC-AUC of its points alone. A suggestion to try in a draft, not a change.";

    /// <summary>A gain in ROC-AUC with its 95% interval.</summary>
    public static string Gain(Interval? gain) => gain is null
        ? "not measured (too few leads)"
        : $"{Signed(gain.Value)} (95% interval {Signed(gain.Low)} to {Signed(gain.High)})";

    /// <summary>A ROC-AUC to three decimals, where the out-of-time comparison's differences show.</summary>
    public static string PreciseAuc(double? auc) => auc is { } value ? value.ToString("0.000", Invariant) : "n/a";

    public static string Signed(double value) => value.ToString("+0.000;-0.000;0.000", Invariant);

    /// <summary>One side of a threshold's list: its points, the leads on it and the converters among them.</summary>
    public static string ListSide(double? points, int leads, int converted) =>
        points is { } p ? $"{Number(p)} points: {Count(leads)} leads, {Count(converted)} converted" : "none";

    public static string DecilesIntro(ScoreReviewReport report) =>
        $"Leads ranked by points and cut into tenths, decile 1 the top. Lift is the decile's conversion rate over the overall {Percent(report.ConversionRate)}: " +
        "above 1 the score finds converters there, and the top deciles should be well above.";

    public static string Date(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd", Invariant);

    public static string Period(ReviewPeriod period) =>
        $"{Date(period.From)} to {Date(period.To)} ({Number(period.Days)} days)";

    /// <summary>A share of 0 to 1 as "12.3 %".</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", Invariant) + " %";

    public static string Number(double value) => value.ToString("0.#", Invariant);

    public static string Count(int value) => value.ToString("N0", Invariant);

    public static string Auc(double auc) => auc.ToString("0.00", Invariant);

    public static string Lift(double? lift) => lift is { } value ? value.ToString("0.00", Invariant) + "×" : "n/a";

    /// <summary>A rule's points: "5", or per occurrence "2 each", with its maximum "2 each, max 8".</summary>
    public static string Points(double points, bool perOccurrence, double? maxPoints) =>
        !perOccurrence ? Number(points) : maxPoints is { } most ? $"{Number(points)} each, max {Number(most)}" : $"{Number(points)} each";

    /// <summary>What the proposal suggests for a rule: nothing without a proposal, "remove" at 0.</summary>
    public static string Suggested(RuleRow row) => row.SuggestedPoints switch
    {
        null => "–",
        0 => "remove",
        { } points => Points(points, row.PerOccurrence, row.SuggestedMaxPoints),
    };

    public static string Band(PointsBand band) => $"{band.From}–{band.To}";

    public static string DecileLabel(DecileRow decile) => decile.Decile == 1 ? "1 (top)" : decile.Decile.ToString(Invariant);

    /// <summary>
    /// The engine's verdict is "headline: explanation"; split so the headline can stand out
    /// ("good" / "the score ranks converters well").
    /// </summary>
    public static (string Headline, string Detail) Verdict(string verdict)
    {
        var colon = verdict.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (verdict, string.Empty) : (verdict[..colon].Trim(), verdict[(colon + 1)..].Trim());
    }

    /// <summary>Part over whole, 0 when the whole is empty (a period without converters has no distribution).</summary>
    public static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    public static string Threshold(string? key, double? points) =>
        key is null ? "none" : points is { } p ? $"{key} at {Number(p)} points" : key;

    /// <summary>The first ids and how many are left out, so a long list does not drown the page.</summary>
    public static (IReadOnlyList<string> Shown, int More) FirstIds(IReadOnlyList<string> ids, int total)
    {
        var shown = ids.Take(IdsShown).ToList();
        return (shown, total - shown.Count);
    }

    /// <summary>A change as a verb ("Add"), what it acts on ("rule"), its key, and the rest of the sentence in plain text.</summary>
    public static (string Verb, string Noun, string Subject, string Detail) Change(ModelChange change) => change.Kind switch
    {
        ChangeKind.Added => ("Add", "rule", change.Subject, $": {change.After} ({change.Why})"),
        ChangeKind.Removed => ("Remove", "rule", change.Subject, $" ({change.Before}): {change.Why}"),
        ChangeKind.Threshold => ("Move", "threshold", change.Subject, $": {change.Before} → {change.After} ({change.Why})"),
        _ => ("Change", "rule", change.Subject, $": {change.Before} → {change.After} ({change.Why})"),
    };

    public static string Capitalised(string label) =>
        label.Length == 0 ? label : char.ToUpperInvariant(label[0]) + label[1..];

    public static string Moved(MovedLeads moved, string direction) =>
        $"{Count(moved.Count)} {(moved.Count == 1 ? "lead" : "leads")} {direction}, {Count(moved.Converted)} of them converted";

    /// <summary>
    /// A horizontal text bar of whole and eighth blocks, <paramref name="width"/> characters at
    /// <paramref name="max"/>; a value above 0 always shows at least a sliver so it reads as "some".
    /// </summary>
    public static string Bar(double value, double max, int width)
    {
        if (max <= 0 || value <= 0)
        {
            return string.Empty;
        }

        var eighths = Math.Max(1, (int)Math.Round(Math.Min(value, max) / max * width * 8, MidpointRounding.AwayFromZero));
        const string partial = " ▏▎▍▌▋▊▉";
        return new string('█', eighths / 8) + (eighths % 8 == 0 ? string.Empty : partial[eighths % 8].ToString());
    }
}
