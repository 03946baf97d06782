using System.Collections.Immutable;
using System.Globalization;
using LeadScore.Engine.Compilation;

namespace LeadScore.Engine.Review;

/// <summary>
/// Judges the way the review proposes, out of time, before anything is proposed: the proposal is
/// fitted on the older part of the period and judged on the newer part (a time split, never a shuffled
/// one), and, as far back as the history goes, fitted on each earlier period and judged on the one
/// after it (a rolling backtest). Each fold compares the fold's proposal with the published model on
/// leads it never saw, two ways: as the review judges (each lead at the moment of its outcome) and as
/// a forecast (every lead open at the start of the judged period, ranked then, by who converts in it).
/// The noise of the comparison is a bootstrap over the judged leads; the proposal is confirmed only when
/// the whole 95% interval of its gain is above zero and it does not rank worse as a forecast.
/// </summary>
public static class OutOfTimeCheck
{
    // The older part the time split fits on; the newer third judges.
    private const double FittedShare = 2.0 / 3;

    // A judged period needs this many converters and as many leads that did not convert to say anything.
    private const int MinimumJudged = 10;

    internal delegate ProposalResult Proposer(ReviewPeriod period, IReadOnlyList<ReviewedLead> leads);

    internal static OutOfTimeValidation Validate(CompiledModel published, ReviewPeriod period, IReadOnlyList<LeadTimeline> history, ProposalOptions options, Proposer propose)
    {
        var length = period.To - period.From;
        var split = period.From + length * FittedShare;
        var plan = new List<(string Kind, ReviewPeriod Fitted, ReviewPeriod Judged)> { ("time split", period with { To = split }, period with { From = split }) };
        for (var k = 1; k <= options.RollingPeriods; k++)
        {
            plan.Add(("rolling", Shift(period, -k * length), Shift(period, -(k - 1) * length)));
        }

        var folds = new List<Fold>();
        foreach (var (kind, fitted, judgedPeriod) in plan)
        {
            var judged = LeadsIn(history, judgedPeriod);
            var ahead = history.Select(h => h.AheadOf(judgedPeriod.From, judgedPeriod.To - judgedPeriod.From)).OfType<ReviewedLead>().ToList();
            if (!Enough(judged) || propose(fitted, LeadsIn(history, fitted)).Proposal is not { } proposal)
            {
                continue;
            }

            var draft = CompiledModel.Compile(proposal.Model);
            folds.Add(new Fold(
                new OutOfTimeFold(kind, fitted, judgedPeriod, judged.Count, judged.Count(l => l.Converted), 0, 0, ahead.Count, ahead.Count(l => l.Converted), null, null),
                Scored(published, draft, judged),
                Enough(ahead) ? Scored(published, draft, ahead) : null));
        }

        var random = new Random(options.Seed);
        var gain = Gains(folds.Select(f => f.Judged).ToList(), options.Resamples, random);
        var forecast = Gains([.. folds.Select(f => f.Ahead).OfType<Paired>()], options.Resamples, random);
        var rows = folds.Select(f => f.Row with
        {
            PublishedAuc = f.Judged.PublishedAuc,
            ProposalAuc = f.Judged.DraftAuc,
            ForecastPublishedAuc = f.Ahead?.PublishedAuc,
            ForecastProposalAuc = f.Ahead?.DraftAuc,
        }).ToImmutableArray();
        return OutOfTimeValidation.From(period, rows, gain, forecast, options.Resamples);
    }

    private static ReviewPeriod Shift(ReviewPeriod period, TimeSpan by) => new(period.From + by, period.To + by);

    private static List<ReviewedLead> LeadsIn(IReadOnlyList<LeadTimeline> history, ReviewPeriod period) =>
        [.. history.Select(h => h.In(period)).OfType<ReviewedLead>()];

    private static bool Enough(IReadOnlyList<ReviewedLead> leads)
    {
        var converted = leads.Count(l => l.Converted);
        return converted >= MinimumJudged && leads.Count - converted >= MinimumJudged;
    }

    private sealed record Fold(OutOfTimeFold Row, Paired Judged, Paired? Ahead);

    /// <summary>Both models' points on the same leads, and whether each converted.</summary>
    private sealed record Paired(double[] Published, double[] Draft, bool[] Labels)
    {
        public double PublishedAuc => Auc(Published, Labels);

        public double DraftAuc => Auc(Draft, Labels);
    }

    private static Paired Scored(CompiledModel published, CompiledModel draft, IReadOnlyList<ReviewedLead> leads) => new(
        [.. leads.Select(l => published.Score(l.Subject, l.JudgedAt).Points)],
        [.. leads.Select(l => draft.Score(l.Subject, l.JudgedAt).Points)],
        [.. leads.Select(l => l.Converted)]);

    private static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var auc = RocAuc.Of(scores, labels);
        return double.IsNaN(auc) ? 0.5 : auc;
    }

    /// <summary>The mean gain in ROC-AUC over the folds, and its 95% bootstrap interval (the leads of each fold resampled with replacement).</summary>
    private static Interval? Gains(IReadOnlyList<Paired> folds, int resamples, Random random)
    {
        if (folds.Count == 0)
        {
            return null;
        }

        var gain = folds.Average(f => f.DraftAuc - f.PublishedAuc);
        var replicates = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            foreach (var fold in folds)
            {
                var n = fold.Labels.Length;
                var (p, d, y) = (new double[n], new double[n], new bool[n]);
                for (var i = 0; i < n; i++)
                {
                    var pick = random.Next(n);
                    (p[i], d[i], y[i]) = (fold.Published[pick], fold.Draft[pick], fold.Labels[pick]);
                }

                sum += Auc(d, y) - Auc(p, y);
            }

            replicates[r] = sum / folds.Count;
        }

        Array.Sort(replicates);
        return new Interval(gain, replicates[(int)(0.025 * (resamples - 1))], replicates[(int)Math.Ceiling(0.975 * (resamples - 1))]);
    }
}

/// <summary>
/// One out-of-time fold: the proposal fitted on <see cref="Fitted"/> and judged on <see cref="Judged"/>,
/// its ROC-AUC beside the published model's, as the review judges (each lead at its outcome) and as a
/// forecast (the leads open at the start of <see cref="Judged"/>, ranked then; NaN with too few of them).
/// </summary>
public sealed record OutOfTimeFold(
    string Kind,
    ReviewPeriod Fitted,
    ReviewPeriod Judged,
    int Leads,
    int Converted,
    double PublishedAuc,
    double ProposalAuc,
    int ForecastLeads,
    int ForecastConverted,
    double? ForecastPublishedAuc,
    double? ForecastProposalAuc);

/// <summary>A gain in ROC-AUC (<see cref="Value"/>) and its 95% bootstrap interval.</summary>
public sealed record Interval(double Value, double Low, double High);

/// <summary>
/// The out-of-time evidence for a proposal: its folds, the mean gain in ROC-AUC over the published model
/// and the 95% bootstrap interval of that gain (as the review judges, and as a forecast), and whether it
/// is <see cref="Confirmed"/>: a gain whose whole interval is above zero, with no loss as a forecast.
/// </summary>
public sealed record OutOfTimeValidation(
    ImmutableArray<OutOfTimeFold> Folds,
    Interval? Gain,
    Interval? ForecastGain,
    int Resamples,
    bool Confirmed,
    string Verdict)
{
    internal static OutOfTimeValidation From(ReviewPeriod period, ImmutableArray<OutOfTimeFold> folds, Interval? gain, Interval? forecast, int resamples)
    {
        string verdict;
        bool confirmed;
        var foldCount = $"{folds.Length} fold{(folds.Length == 1 ? "" : "s")}";
        if (gain is null)
        {
            (confirmed, verdict) = (false, "there is not enough history to judge a proposal out of time: no older part of the period, and no earlier period, " +
                $"has enough converters to fit on with enough outcomes after it to judge by. {period.LongerPeriodAdvice()}");
        }
        else if (!(gain.Low > 0))
        {
            (confirmed, verdict) = (false, $"out of time the proposal ranks converters {Signed(gain.Value)} ROC-AUC against the published model " +
                $"(95% interval {Signed(gain.Low)} to {Signed(gain.High)}, {foldCount}): within the noise.");
        }
        else if (forecast is { Value: < 0 })
        {
            (confirmed, verdict) = (false, $"out of time the proposal ranks converters {Signed(gain.Value)} ROC-AUC better at the moment they convert " +
                $"(95% interval {Signed(gain.Low)} to {Signed(gain.High)}, {foldCount}), but {Signed(forecast.Value)} as a forecast of who converts next " +
                $"(95% interval {Signed(forecast.Low)} to {Signed(forecast.High)}): it would tell sales less about whom to call.");
        }
        else
        {
            (confirmed, verdict) = (true, $"out of time the proposal ranks converters {Signed(gain.Value)} ROC-AUC better than the published model " +
                $"(95% interval {Signed(gain.Low)} to {Signed(gain.High)}, {foldCount}), " +
                (forecast is null ? "a margin above the noise." : $"and {Signed(forecast.Value)} as a forecast of who converts next."));
        }

        return new OutOfTimeValidation(folds, gain, forecast, resamples, confirmed, verdict);
    }

    private static string Signed(double value) => value.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);
}
