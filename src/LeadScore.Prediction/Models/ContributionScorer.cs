using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Features;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Snapshots;
using LeadScore.Prediction.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace LeadScore.Prediction.Models;

/// <summary>
/// Runs a saved pipeline (ending in ML.NET's feature contribution calculation) over a table: each row's id,
/// raw score and every factor, strongest first, the contributions summed per source column. Shared by the lead and number models.
/// </summary>
/// <remarks>
/// ML.NET's contributions compare a row with the branch its trees did not take (or, for the logistic
/// regression, with a feature at zero), so on their own "lowers" can mean "lower than the other branch"
/// for a value better than most. Each column's contribution is therefore centred on
/// <paramref name="typical"/>, its mean over the training rows: a factor raises or lowers this row
/// compared with the typical row. Its effect is measured through <paramref name="output"/> (the
/// calibrator for a lead model): output(score) minus output(score without the centred contribution).
/// Tree contributions do not add up, so that effect is only an estimate: when the model knows the
/// typical lead (<paramref name="typicalRows"/>, a few real training leads), each row's strongest
/// <see cref="CandidatesChecked"/> factors are measured exactly instead: the row is scored again with
/// that factor's feature group (<see cref="FeatureNames.Group"/>) taken from each typical lead in
/// turn, and the factor's effect is the row's prediction minus the mean of those. "Lowers" then means
/// this lead's probability would be higher, on average, with a typical lead's values there.
/// </remarks>
internal sealed class ContributionScorer(
    MLContext ml,
    ITransformer transformer,
    FeatureEncoder encoder,
    string? idColumn,
    IReadOnlyDictionary<string, double> typical,
    Func<double, double> output,
    IReadOnlyList<IReadOnlyDictionary<string, string?>>? typicalRows = null)
{
    // Probes need only the score: the pipeline without its last step when that is the contribution calculation.
    private readonly ITransformer _scoreOnly = transformer is IEnumerable<ITransformer> steps && steps.LastOrDefault() is FeatureContributionCalculatingTransformer
        ? new TransformerChain<ITransformer>([.. steps.SkipLast(1)])
        : transformer;

    /// <summary>How many of a row's strongest factors are measured against the typical lead: enough for three each way.</summary>
    public const int CandidatesChecked = 6;

    /// <summary>How many factors a prediction shows (each way, for a lead model's reasons).</summary>
    public const int FactorsShown = 3;

    private const string ContributionsColumn = "FeatureContributions";

    /// <summary>
    /// The typical lead is measured on at most this many training rows, spread evenly over them: the mean
    /// moves by well under a hundredth of its spread beyond that, and on bank marketing (41,188 rows)
    /// explaining every row added about a tenth to the training time.
    /// </summary>
    public const int TypicalRowsMeasured = 5_000;

    public IReadOnlyList<ScoredRow> Score(CsvTable table)
    {
        var rows = TableColumns.Encode(encoder, table, Enumerable.Range(0, table.Rows.Count).ToArray())
            .Select(features => new FeatureRow { Features = features }).ToList();
        var scored = transformer.Transform(FeatureData.Load(ml, rows, encoder.Length));
        var scores = scored.GetColumn<float>("Score").ToArray();
        var contributions = scored.GetColumn<VBuffer<float>>(ContributionsColumn).Select(v => v.DenseValues().ToArray()).ToArray();
        var ids = RowIds(table, idColumn);
        // Each source column's position in the table, found once rather than per factor and row.
        var positions = encoder.SlotColumns.Concat(typical.Keys).Distinct(StringComparer.Ordinal).ToDictionary(c => c, table.IndexOf, StringComparer.Ordinal);
        var factors = Enumerable.Range(0, rows.Count).Select(i => Factors(scores[i], contributions[i], table.Rows[i], positions)).ToArray();
        if (typicalRows is { Count: > 0 })
        {
            factors = MeasuredAgainstTypical(table, scores, factors, typicalRows);
        }

        return Enumerable.Range(0, rows.Count).Select(i => new ScoredRow(ids[i], scores[i], factors[i])).ToArray();
    }

    /// <summary>
    /// Each row's strongest factors with their exact effect: the prediction minus the mean of the
    /// predictions with the factor's feature group taken from each typical lead (every such row scored in
    /// one pass). A group is measured once, under its strongest factor; the other factors follow with no
    /// effect, so they are never shown as a reason.
    /// </summary>
    private List<Factor>[] MeasuredAgainstTypical(CsvTable table, float[] scores, List<Factor>[] factors, IReadOnlyList<IReadOnlyDictionary<string, string?>> typicalRows)
    {
        var groups = table.Columns.Select((name, index) => (Group: FeatureNames.Group(name), Index: index))
            .ToLookup(c => c.Group, c => c.Index, StringComparer.Ordinal);
        var probes = new List<(int Row, string Group)>();
        var cells = new List<string?[]>();
        var measuredGroups = new List<(Factor Factor, string Group)>[factors.Length];
        for (var i = 0; i < factors.Length; i++)
        {
            measuredGroups[i] = [];
            foreach (var factor in factors[i].Take(CandidatesChecked))
            {
                var group = FeatureNames.Group(factor.Column);
                if (measuredGroups[i].Any(m => m.Group == group) || !groups.Contains(group))
                {
                    continue;
                }

                measuredGroups[i].Add((factor, group));
                foreach (var typical in typicalRows)
                {
                    var changed = (string?[])table.Rows[i].Clone();
                    foreach (var index in groups[group])
                    {
                        if (typical.TryGetValue(table.Columns[index], out var cell))
                        {
                            changed[index] = cell;
                        }
                    }

                    probes.Add((i, group));
                    cells.Add(changed);
                }
            }
        }

        var probeScores = cells.Count == 0 ? [] : _scoreOnly.Transform(FeatureData.Load(ml,
            [.. TableColumns.Encode(encoder, CsvTable.FromCells(table.Columns, cells), Enumerable.Range(0, cells.Count).ToArray())
                .Select(features => new FeatureRow { Features = features })], encoder.Length)).GetColumn<float>("Score").ToArray();
        // The mean prediction of each row with each measured group at the typical leads' values.
        var typicalOutput = new Dictionary<(int Row, string Group), double>();
        for (var p = 0; p < probes.Count; p++)
        {
            typicalOutput[probes[p]] = typicalOutput.GetValueOrDefault(probes[p]) + (output(probeScores[p]) / typicalRows.Count);
        }

        var measured = new List<Factor>[factors.Length];
        for (var i = 0; i < factors.Length; i++)
        {
            var here = output(scores[i]);
            var exact = measuredGroups[i].Select(m => m.Factor with { Effect = here - typicalOutput[(i, m.Group)] }).ToList();
            var exactColumns = exact.Select(f => f.Column).ToHashSet(StringComparer.Ordinal);
            measured[i] = [.. exact.OrderByDescending(f => Math.Abs(f.Effect)).ThenBy(f => f.Column, StringComparer.Ordinal),
                .. factors[i].Where(f => !exactColumns.Contains(f.Column)).Select(f => f with { Effect = 0 })];
        }

        return measured;
    }

    /// <summary>The rows <see cref="TypicalContributions"/> reads out of <paramref name="count"/> training rows: all, or an even spread.</summary>
    public static int[] TypicalRows(int count) => count <= TypicalRowsMeasured
        ? Enumerable.Range(0, count).ToArray()
        : Enumerable.Range(0, TypicalRowsMeasured).Select(i => (int)((long)i * count / TypicalRowsMeasured)).ToArray();

    /// <summary>
    /// Each source column's mean contribution over <paramref name="data"/> (the training rows, see <see cref="TypicalRows"/>): the typical
    /// row's, on which every prediction's factors are centred. Columns that never contribute are left out (zero).
    /// </summary>
    public static IReadOnlyDictionary<string, double> TypicalContributions(ITransformer transformer, IDataView data, FeatureEncoder encoder)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var rows = 0;
        foreach (var contributions in transformer.Transform(data).GetColumn<VBuffer<float>>(ContributionsColumn))
        {
            rows++;
            var slot = 0;
            foreach (var value in contributions.DenseValues())
            {
                if (value != 0)
                {
                    var column = encoder.SlotColumns[slot];
                    sums[column] = sums.GetValueOrDefault(column) + value;
                }

                slot++;
            }
        }

        return rows == 0 ? new Dictionary<string, double>()
            : sums.Where(s => s.Value != 0).OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value / rows, StringComparer.Ordinal);
    }

    /// <summary>Each row's <paramref name="idColumn"/> cell, else its 1-based row number.</summary>
    public static string[] RowIds(CsvTable table, string? idColumn)
    {
        var index = idColumn is null ? -1 : table.IndexOf(idColumn);
        return table.Rows
            .Select((row, i) => index >= 0 && row[index] is { } value ? value : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
    }

    /// <summary>Every column that sets this row apart from the typical one, strongest effect first.</summary>
    private List<Factor> Factors(double score, float[] contributions, string?[] row, IReadOnlyDictionary<string, int> positions)
    {
        var byColumn = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (column, mean) in typical)
        {
            byColumn[column] = -mean;
        }

        for (var slot = 0; slot < contributions.Length; slot++)
        {
            if (contributions[slot] != 0)
            {
                var column = encoder.SlotColumns[slot];
                byColumn[column] = byColumn.GetValueOrDefault(column) + contributions[slot];
            }
        }

        var here = output(score);
        return byColumn.Where(c => c.Value != 0)
            .Select(c =>
            {
                var index = positions.GetValueOrDefault(c.Key, -1);
                var value = index >= 0 && row[index] is { } cell ? cell : TypeInference.MissingLevel;
                return new Factor(c.Key, value, c.Value, here - output(score - c.Value));
            })
            .OrderByDescending(f => Math.Abs(f.Effect)).ThenByDescending(f => Math.Abs(f.Contribution)).ThenBy(f => f.Column, StringComparer.Ordinal)
            .ToList();
    }

    public sealed record ScoredRow(string Id, double Score, IReadOnlyList<Factor> Factors);
}
