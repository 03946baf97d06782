using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Schema;

namespace LeadScore.Prediction.Models;

/// <summary>
/// The typical lead, as a few real training leads spread over the model's scores: sorted by their
/// validated score, the leads at the middle of each of <see cref="Count"/> equal slices. A reason is
/// then measured, not estimated: the lead's probability against the mean of its probabilities with that
/// feature (and the features that move with it, <see cref="Snapshots.FeatureNames.Group"/>) taken from
/// each of these leads in turn. Real leads keep related values consistent (no lead has clicked twice in
/// 30 days and never in 90), which values picked column by column would not.
/// </summary>
public static class TypicalLead
{
    /// <summary>How many training leads stand for the typical one: enough to span the scores, cheap to score against.</summary>
    public const int Count = 10;

    /// <summary>
    /// The feature cells of <see cref="Count"/> rows of <paramref name="table"/>, chosen among
    /// <paramref name="rows"/> by <paramref name="scores"/> (one per row, same order).
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows(
        CsvTable table, IReadOnlyList<int> rows, IReadOnlyList<double> scores, IEnumerable<ColumnSchema> columns)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var features = columns.Where(c => c.Role == ColumnRole.Feature).Select(c => (c.Name, Index: table.IndexOf(c.Name))).Where(c => c.Index >= 0).ToArray();
        var byScore = Enumerable.Range(0, rows.Count).OrderBy(i => scores[i]).ThenBy(i => i).ToArray();
        return [.. Enumerable.Range(0, Math.Min(Count, rows.Count))
            .Select(k => rows[byScore[(int)((k + 0.5) * byScore.Length / Math.Min(Count, rows.Count))]])
            .Select(row => (IReadOnlyDictionary<string, string?>)features.ToDictionary(f => f.Name, f => table.Rows[row][f.Index], StringComparer.Ordinal))];
    }
}
