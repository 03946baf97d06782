namespace LeadScore.Prediction.Calibration;

/// <summary>
/// Maps a trainer's raw score to a probability with isotonic regression (pool-adjacent-violators) fitted
/// on out-of-fold scores, so "22" means about 22% of such leads convert. Between fitted points the
/// probability is interpolated linearly, which keeps the ranking finer than a step function would.
/// </summary>
public sealed record IsotonicCalibrator(IReadOnlyList<double> Scores, IReadOnlyList<double> Probabilities)
{
    public static IsotonicCalibrator Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        // Blocks of (weight, mean score, mean label); equal scores start in one block so ties get one probability.
        var weight = new List<double>();
        var x = new List<double>();
        var y = new List<double>();
        foreach (var i in order)
        {
            var label = labels[i] ? 1.0 : 0.0;
            if (x.Count > 0 && x[^1] == scores[i])
            {
                y[^1] = (y[^1] * weight[^1] + label) / (weight[^1] + 1);
                weight[^1]++;
            }
            else
            {
                weight.Add(1);
                x.Add(scores[i]);
                y.Add(label);
            }

            while (y.Count > 1 && y[^2] >= y[^1])
            {
                var w = weight[^2] + weight[^1];
                var mergedX = (x[^2] * weight[^2] + x[^1] * weight[^1]) / w;
                var mergedY = (y[^2] * weight[^2] + y[^1] * weight[^1]) / w;
                weight.RemoveAt(weight.Count - 1);
                x.RemoveAt(x.Count - 1);
                y.RemoveAt(y.Count - 1);
                weight[^1] = w;
                x[^1] = mergedX;
                y[^1] = mergedY;
            }
        }

        return new IsotonicCalibrator(x, y);
    }

    public double Calibrate(double score)
    {
        if (Scores.Count == 0)
        {
            return 0.5;
        }

        if (score <= Scores[0])
        {
            return Probabilities[0];
        }

        if (score >= Scores[^1])
        {
            return Probabilities[^1];
        }

        var hi = BinarySearchAbove(score);
        var lo = hi - 1;
        var t = (score - Scores[lo]) / (Scores[hi] - Scores[lo]);
        return Probabilities[lo] + t * (Probabilities[hi] - Probabilities[lo]);
    }

    private int BinarySearchAbove(double score)
    {
        int lo = 0, hi = Scores.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (Scores[mid] > score)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }
}
