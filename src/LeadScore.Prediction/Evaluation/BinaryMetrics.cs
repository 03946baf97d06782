namespace LeadScore.Prediction.Evaluation;

/// <summary>Ranking and calibration measures of probabilities against outcomes.</summary>
public static class BinaryMetrics
{
    private const double Epsilon = 1e-15;

    /// <summary>
    /// The standard error of a ROC-AUC estimated on <paramref name="positives"/> and <paramref name="negatives"/>
    /// rows (Hanley and McNeil, 1982): how far the AUC of another sample of the same size would typically be.
    /// </summary>
    public static double AucStandardError(double auc, int positives, int negatives)
    {
        if (positives == 0 || negatives == 0 || double.IsNaN(auc))
        {
            return double.NaN;
        }

        var q1 = auc / (2 - auc);
        var q2 = 2 * auc * auc / (1 + auc);
        var variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / ((double)positives * negatives);
        return Math.Sqrt(Math.Max(0, variance));
    }

    /// <summary>PR-AUC as average precision: precision at each distinct threshold weighted by the recall it adds.</summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var totalPositives = labels.Count(l => l);
        if (totalPositives == 0)
        {
            return double.NaN;
        }

        double ap = 0;
        int truePositives = 0, seen = 0;
        var i = 0;
        while (i < order.Length)
        {
            var added = 0;
            var j = i;
            while (j < order.Length && scores[order[j]] == scores[order[i]])
            {
                added += labels[order[j]] ? 1 : 0;
                j++;
            }

            seen += j - i;
            truePositives += added;
            ap += (double)added / totalPositives * truePositives / seen;
            i = j;
        }

        return ap;
    }

    public static double LogLoss(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels) =>
        probabilities.Select((p, i) => -Math.Log(labels[i] ? Math.Max(p, Epsilon) : Math.Max(1 - p, Epsilon))).Average();

    public static double Brier(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels) =>
        probabilities.Select((p, i) => Math.Pow(p - (labels[i] ? 1 : 0), 2)).Average();

    /// <summary>Expected calibration error over 10 equal-width bins: the row-weighted gap between mean probability and observed rate.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels, int bins = 10)
    {
        var sums = new double[bins];
        var hits = new double[bins];
        var counts = new int[bins];
        for (var i = 0; i < probabilities.Count; i++)
        {
            var bin = Math.Min(bins - 1, (int)(probabilities[i] * bins));
            sums[bin] += probabilities[i];
            hits[bin] += labels[i] ? 1 : 0;
            counts[bin]++;
        }

        double ece = 0;
        for (var b = 0; b < bins; b++)
        {
            if (counts[b] > 0)
            {
                ece += (double)counts[b] / probabilities.Count * Math.Abs(sums[b] / counts[b] - hits[b] / counts[b]);
            }
        }

        return ece;
    }

    /// <summary>
    /// The rows sorted by probability and cut into 10 groups of (nearly) equal size, lowest first, each with
    /// its mean probability and observed positive rate: the table behind "22 means 22%".
    /// </summary>
    public static IReadOnlyList<CalibrationDecile> Deciles(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, probabilities.Count).OrderBy(i => probabilities[i]).ToArray();
        var deciles = new List<CalibrationDecile>(10);
        for (var d = 0; d < 10; d++)
        {
            var from = (int)((long)order.Length * d / 10);
            var to = (int)((long)order.Length * (d + 1) / 10);
            if (to > from)
            {
                var members = order[from..to];
                deciles.Add(new CalibrationDecile(d + 1, members.Length, members.Average(i => probabilities[i]), members.Count(i => labels[i]) / (double)members.Length));
            }
        }

        return deciles;
    }

    /// <summary>The positive rate among the top 10% by probability over the overall positive rate.</summary>
    public static double LiftTopDecile(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels)
    {
        var overall = labels.Count(l => l) / (double)labels.Count;
        var top = (int)Math.Ceiling(labels.Count * 0.1);
        var topRate = Enumerable.Range(0, labels.Count).OrderByDescending(i => probabilities[i]).Take(top).Count(i => labels[i]) / (double)top;
        return overall == 0 ? double.NaN : topRate / overall;
    }

    /// <summary>The value below which <paramref name="fraction"/> of the values fall (linear interpolation).</summary>
    public static double Quantile(IReadOnlyList<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        var position = fraction * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
