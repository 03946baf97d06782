namespace LeadScore.Prediction.Evaluation;

/// <summary>
/// The naive Bayes that Odoo's CRM uses for its predictive lead scoring, as a baseline: for each field,
/// how often each value occurs among won and among lost leads (each count plus <see cref="Smoothing"/>,
/// Odoo's additive smoothing against zero frequencies), multiplied over the lead's values and by the
/// prior won and lost rates; the probability is won / (won + lost). Like Odoo, a missing value and a
/// value never seen in training are skipped rather than guessed. Values are compared as text: numbers
/// must be binned by the caller.
/// </summary>
public sealed class FrequencyNaiveBayes
{
    /// <summary>Added to every (field, value) count of won and of lost leads, as Odoo does (crm.lead.scoring.frequency).</summary>
    public const double Smoothing = 0.1;

    private readonly double _logPriorOdds;
    private readonly Dictionary<string, (double Won, double Lost)>[] _frequencies;
    private readonly (double Won, double Lost)[] _totals;

    private FrequencyNaiveBayes(double logPriorOdds, Dictionary<string, (double Won, double Lost)>[] frequencies, (double Won, double Lost)[] totals)
    {
        _logPriorOdds = logPriorOdds;
        _frequencies = frequencies;
        _totals = totals;
    }

    /// <summary>Counts each field's values among won and lost rows; every row has one value (or null) per field.</summary>
    public static FrequencyNaiveBayes Fit(IReadOnlyList<IReadOnlyList<string?>> rows, IReadOnlyList<bool> won)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rows.Count);
        var fields = rows[0].Count;
        var frequencies = Enumerable.Range(0, fields).Select(_ => new Dictionary<string, (double Won, double Lost)>(StringComparer.Ordinal)).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            for (var f = 0; f < fields; f++)
            {
                if (rows[r][f] is { } value)
                {
                    var (w, l) = frequencies[f].GetValueOrDefault(value, (Smoothing, Smoothing));
                    frequencies[f][value] = won[r] ? (w + 1, l) : (w, l + 1);
                }
            }
        }

        var totals = frequencies.Select(f => (f.Values.Sum(c => c.Won), f.Values.Sum(c => c.Lost))).ToArray();
        var wonRows = won.Count(w => w);
        var lostRows = won.Count - wonRows;
        // A class absent from training leaves nothing to compare: the prior alone then decides (0 or 1).
        var logPriorOdds = wonRows == 0 ? double.NegativeInfinity : lostRows == 0 ? double.PositiveInfinity : Math.Log(wonRows) - Math.Log(lostRows);
        return new FrequencyNaiveBayes(logPriorOdds, frequencies, totals);
    }

    /// <summary>The probability that a row with these values is won. Computed in logs: a product over many fields underflows.</summary>
    public double Probability(IReadOnlyList<string?> row)
    {
        var logOdds = _logPriorOdds;
        for (var f = 0; f < _frequencies.Length && double.IsFinite(logOdds); f++)
        {
            if (row[f] is { } value && _frequencies[f].TryGetValue(value, out var count))
            {
                logOdds += Math.Log(count.Won / _totals[f].Won) - Math.Log(count.Lost / _totals[f].Lost);
            }
        }

        return 1 / (1 + Math.Exp(-logOdds));
    }
}
