using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Features;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadScore.Prediction.Models;

/// <summary>
/// Runs a saved pipeline (ending in ML.NET's feature contribution calculation) over a table: each row's id,
/// raw score and every factor, strongest first, the contributions summed per source column. Shared by the lead and number models.
/// </summary>
internal sealed class ContributionScorer(MLContext ml, ITransformer transformer, FeatureEncoder encoder, string? idColumn)
{
    /// <summary>How many factors a prediction shows (each way, for a lead model's reasons).</summary>
    public const int FactorsShown = 3;

    public IReadOnlyList<ScoredRow> Score(CsvTable table)
    {
        var rows = TableColumns.Encode(encoder, table, Enumerable.Range(0, table.Rows.Count).ToArray())
            .Select(features => new FeatureRow { Features = features }).ToList();
        var scored = transformer.Transform(FeatureData.Load(ml, rows, encoder.Length));
        var scores = scored.GetColumn<float>("Score").ToArray();
        var contributions = scored.GetColumn<VBuffer<float>>("FeatureContributions").Select(v => v.DenseValues().ToArray()).ToArray();
        var ids = RowIds(table, idColumn);
        return Enumerable.Range(0, rows.Count)
            .Select(i => new ScoredRow(ids[i], scores[i], Factors(contributions[i], table.Rows[i], table)))
            .ToArray();
    }

    /// <summary>Each row's <paramref name="idColumn"/> cell, else its 1-based row number.</summary>
    public static string[] RowIds(CsvTable table, string? idColumn)
    {
        var index = idColumn is null ? -1 : table.IndexOf(idColumn);
        return table.Rows
            .Select((row, i) => index >= 0 && row[index] is { } value ? value : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
    }

    /// <summary>Every column that moved the score, strongest first.</summary>
    private List<Factor> Factors(float[] contributions, string?[] row, CsvTable table)
    {
        var byColumn = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var slot = 0; slot < contributions.Length; slot++)
        {
            if (contributions[slot] != 0)
            {
                var column = encoder.SlotColumns[slot];
                byColumn[column] = byColumn.GetValueOrDefault(column) + contributions[slot];
            }
        }

        return byColumn.Where(c => c.Value != 0).OrderByDescending(c => Math.Abs(c.Value)).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c =>
            {
                var index = table.IndexOf(c.Key);
                return new Factor(c.Key, index >= 0 && row[index] is { } cell ? cell : TypeInference.MissingLevel, c.Value);
            })
            .ToList();
    }

    public sealed record ScoredRow(string Id, double Score, IReadOnlyList<Factor> Factors);
}
