namespace LeadScore.SideBySide.Prediction;

/// <summary>
/// The lead probability Odoo's CRM computes: P(won) x the product over fields of P(value | won),
/// normalised against the same for lost. Frequencies with Laplace smoothing; a numeric column is cut
/// into deciles of the training rows first, so that its values become levels like any other.
/// </summary>
internal sealed class NaiveBayes
{
    private readonly double[][]? _cuts;
    private readonly Dictionary<string, (int Won, int Lost)>[] _counts;
    private readonly int _won;
    private readonly int _lost;

    private NaiveBayes(double[][]? cuts, Dictionary<string, (int, int)>[] counts, int won, int lost)
    {
        _cuts = cuts;
        _counts = counts;
        _won = won;
        _lost = lost;
    }

    public static NaiveBayes Fit(IReadOnlyList<string[]> rows, IReadOnlyList<bool> won, bool[] numeric)
    {
        var columns = numeric.Length;
        var cuts = new double[columns][];
        for (var c = 0; c < columns; c++)
        {
            cuts[c] = numeric[c] ? Deciles(rows.Select(r => double.Parse(r[c], System.Globalization.CultureInfo.InvariantCulture))) : [];
        }

        var counts = new Dictionary<string, (int Won, int Lost)>[columns];
        for (var c = 0; c < columns; c++)
        {
            counts[c] = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        }

        var model = new NaiveBayes(cuts, counts, won.Count(w => w), won.Count(w => !w));
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var level = model.Level(rows[r], c, numeric);
                var (w, l) = counts[c].GetValueOrDefault(level);
                counts[c][level] = won[r] ? (w + 1, l) : (w, l + 1);
            }
        }

        return model;
    }

    /// <summary>The probability of won, computed in logs so that 20 small factors do not underflow.</summary>
    public double Probability(string[] row, bool[] numeric)
    {
        var logWon = Math.Log(_won);
        var logLost = Math.Log(_lost);
        for (var c = 0; c < _counts.Length; c++)
        {
            var levels = _counts[c].Count + 1; // one more for a level the training rows never had
            var (w, l) = _counts[c].GetValueOrDefault(Level(row, c, numeric));
            logWon += Math.Log((w + 1.0) / (_won + levels));
            logLost += Math.Log((l + 1.0) / (_lost + levels));
        }

        return 1 / (1 + Math.Exp(logLost - logWon));
    }

    private string Level(string[] row, int column, bool[] numeric)
    {
        if (!numeric[column])
        {
            return row[column];
        }

        var value = double.Parse(row[column], System.Globalization.CultureInfo.InvariantCulture);
        var bin = Array.BinarySearch(_cuts![column], value);
        return (bin < 0 ? ~bin : bin).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    // The distinct 10th to 90th percentiles: a column with few values (pdays, previous) gets fewer bins.
    private static double[] Deciles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return [.. Enumerable.Range(1, 9).Select(d => sorted[(int)((long)d * (sorted.Length - 1) / 10)]).Distinct()];
    }
}
