using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Evaluation;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Validation;

namespace LeadScore.Prediction.Training;

/// <summary>
/// Odoo's frequency naive Bayes (<see cref="FrequencyNaiveBayes"/>) run on the same validation plan as the
/// candidates: each split's rows predicted by frequencies counted on that split's training rows. Odoo scores
/// categorical fields only; numbers and dates here are cut into deciles of the labelled rows' values first
/// (the cut points never look at the label, like the encoder's levels).
/// </summary>
internal static class NaiveBayesBaseline
{
    public const string Method = "Odoo's frequency naive Bayes: per field value, won and lost counts (+0.1 each), multiplied with the prior; "
        + "numbers and dates in deciles; missing and unseen values skipped";

    private const int Bins = 10;

    /// <summary>A probability for every validated row of the plan (positions among the labelled rows), NaN elsewhere.</summary>
    public static double[] Predict(CsvTable table, IReadOnlyList<int> labelled, IReadOnlyList<bool> labels, IReadOnlyList<ColumnSchema> features, ValidationPlan plan)
    {
        var values = Values(table, labelled, features);
        var probabilities = Enumerable.Repeat(double.NaN, labelled.Count).ToArray();
        Parallel.ForEach(plan.Splits, split =>
        {
            var model = FrequencyNaiveBayes.Fit(split.Train.Select(i => values[i]).ToArray(), split.Train.Select(i => labels[i]).ToArray());
            foreach (var i in split.Test)
            {
                probabilities[i] = model.Probability(values[i]);
            }
        });

        return probabilities;
    }

    /// <summary>Each labelled row's values as text, one per feature column: a level, true/false, or a decile's number.</summary>
    private static IReadOnlyList<string?>[] Values(CsvTable table, IReadOnlyList<int> labelled, IReadOnlyList<ColumnSchema> features)
    {
        var rows = labelled.Select(_ => new string?[features.Count]).ToArray();
        Parallel.For(0, features.Count, f =>
        {
            var column = table.IndexOf(features[f].Name);
            var kind = features[f].Kind;
            if (kind is ColumnKind.Numeric or ColumnKind.Date)
            {
                var numbers = labelled.Select(row => Number(table.Rows[row][column], kind)).ToArray();
                var present = numbers.Where(n => n is not null).Select(n => n!.Value).Order().ToArray();
                var edges = present.Length == 0 ? [] : Enumerable.Range(1, Bins - 1).Select(q => present[(int)((long)(present.Length - 1) * q / Bins)]).Distinct().ToArray();
                for (var k = 0; k < labelled.Count; k++)
                {
                    rows[k][f] = numbers[k] is { } n ? BinOf(edges, n) : null;
                }
            }
            else
            {
                for (var k = 0; k < labelled.Count; k++)
                {
                    var cell = table.Rows[labelled[k]][column];
                    rows[k][f] = kind == ColumnKind.Boolean
                        ? cell is not null && CellValues.TryBoolean(cell, out var b) ? (b ? "true" : "false") : null
                        : cell;
                }
            }
        });

        return rows;
    }

    private static double? Number(string? cell, ColumnKind kind) =>
        cell is null ? null
        : kind == ColumnKind.Date ? (CellValues.TryDate(cell, out var days, out _) ? days : null)
        : CellValues.TryNumber(cell, out var value) ? value : null;

    private static readonly string[] BinNames = [.. Enumerable.Range(0, Bins).Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static string BinOf(double[] edges, double value)
    {
        var bin = 0;
        while (bin < edges.Length && value > edges[bin])
        {
            bin++;
        }

        return BinNames[bin];
    }
}
