using LeadScore.Engine.Review;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Validation;

namespace LeadScore.Prediction.Training;

/// <summary>
/// Finds a column that ranks the outcome better alone than every other feature together. Each feature's
/// single-column AUC is measured on the validated rows: numbers, booleans and dates by their value (either
/// direction), categories by their level's positive rate on each split's training rows. Only the strongest
/// column can be flagged, and only when it beats the best of the other columns alone (a model on the
/// others ranks at least as well as their best column): then the others are cross-validated without it,
/// on the same plan, and compared.
/// </summary>
internal static class LeakageCheck
{
    /// <summary>The strongest suspect column and its single-column AUC, or null when no suspect beats the other features' best.</summary>
    public static (ColumnSchema Column, double Auc)? Strongest(
        CsvTable table, IReadOnlyList<int> labelled, IReadOnlyList<bool> labels, IReadOnlyList<ColumnSchema> features,
        Func<string, bool> isSuspect, ValidationPlan plan)
    {
        var validated = plan.ValidatedRows();
        var validatedLabels = validated.Select(i => labels[i]).ToArray();
        // Columns are independent: measured side by side, as the candidates' fits are.
        var aucs = features.AsParallel().AsOrdered().Select(c => (Column: c, Auc: SingleColumnAuc(table, labelled, labels, c, plan, validated, validatedLabels))).ToArray();
        var suspects = aucs.Where(a => isSuspect(a.Column.Name) && !double.IsNaN(a.Auc)).OrderByDescending(a => a.Auc).ToArray();
        if (suspects.Length == 0)
        {
            return null;
        }

        var strongest = suspects[0];
        var bestOther = aucs.Where(a => a.Column.Name != strongest.Column.Name && !double.IsNaN(a.Auc)).Select(a => a.Auc).DefaultIfEmpty(0.5).Max();
        return strongest.Auc > bestOther ? strongest : null;
    }

    private static double SingleColumnAuc(
        CsvTable table, IReadOnlyList<int> labelled, IReadOnlyList<bool> labels, ColumnSchema column, ValidationPlan plan, int[] validated, bool[] validatedLabels)
    {
        var index = table.IndexOf(column.Name);
        var scores = column.Kind == ColumnKind.Categorical
            ? LevelRates(table, labelled, labels, index, plan)
            : labelled.Select(row => Value(table.Rows[row][index], column)).ToArray();
        var auc = RocAuc.Of(validated.Select(i => scores[i]).ToArray(), validatedLabels);
        return double.IsNaN(auc) ? auc : Math.Max(auc, 1 - auc);
    }

    private static double Value(string? cell, ColumnSchema column) => column.Kind switch
    {
        ColumnKind.Numeric when cell is not null && CellValues.TryNumber(cell, out var n) => n,
        ColumnKind.Boolean when cell is not null && CellValues.TryBoolean(cell, out var b) => b ? 1 : 0,
        ColumnKind.Date when cell is not null && CellValues.TryDate(cell, out var days, out _) => days,
        _ => column.Imputation,
    };

    // Out of fold, so a level seen once cannot rank its own row; shrunk toward the split's overall rate by one row.
    private static double[] LevelRates(CsvTable table, IReadOnlyList<int> labelled, IReadOnlyList<bool> labels, int index, ValidationPlan plan)
    {
        var rates = new double[labelled.Count];
        foreach (var split in plan.Splits)
        {
            var prior = split.Train.Count(i => labels[i]) / (double)split.Train.Length;
            var counts = new Dictionary<string, (int Rows, int Positives)>(StringComparer.Ordinal);
            foreach (var i in split.Train)
            {
                var level = table.Rows[labelled[i]][index] ?? TypeInference.MissingLevel;
                var (rows, positives) = counts.GetValueOrDefault(level);
                counts[level] = (rows + 1, positives + (labels[i] ? 1 : 0));
            }

            foreach (var i in split.Test)
            {
                var (rows, positives) = counts.GetValueOrDefault(table.Rows[labelled[i]][index] ?? TypeInference.MissingLevel);
                rates[i] = (positives + prior) / (rows + 1);
            }
        }

        return rates;
    }
}
