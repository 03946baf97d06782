using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Features;
using LeadScore.Prediction.Schema;

namespace LeadScore.Prediction.Training;

/// <summary>What the lead and number trainers do alike with a table's columns: check the named ones exist, describe them, encode rows.</summary>
internal static class TableColumns
{
    public const string NoFeatures = "No column can be a feature: every other column is excluded, empty or high-cardinality text.";

    /// <summary>Why the options name columns the table lacks (with the columns it has), or null when they all exist.</summary>
    public static string? Unknown(CsvTable table, IEnumerable<(string Option, string? Column)> named)
    {
        var unknown = named.Where(n => n.Column is not null && table.IndexOf(n.Column) < 0).ToList();
        if (unknown.Count == 0)
        {
            return null;
        }

        var which = string.Join(", ", unknown.Select(u => $"{u.Option} '{u.Column}'"));
        var existing = string.Join(", ", table.Columns.Select(c => $"'{c}'"));
        return $"The file has no column for {which}. Its columns are: {existing}.";
    }

    /// <summary>
    /// Each column's kind and the role <paramref name="named"/> gives it (a column named by none is a feature);
    /// the first role naming a column wins.
    /// </summary>
    public static ColumnSchema[] Describe(CsvTable table, IEnumerable<(ColumnRole Role, string? Column)> named)
    {
        var roles = new Dictionary<int, ColumnRole>();
        foreach (var (role, column) in named)
        {
            if (column is not null && table.IndexOf(column) is var index and >= 0)
            {
                roles.TryAdd(index, role);
            }
        }

        return Enumerable.Range(0, table.Columns.Count)
            .Select(i => TypeInference.Describe(table, i, roles.GetValueOrDefault(i, ColumnRole.Feature)))
            .ToArray();
    }

    /// <summary>
    /// The feature vectors of <paramref name="rows"/>; columns are matched by name, so a table without some
    /// of the encoder's columns (at prediction) reads them as missing.
    /// </summary>
    public static float[][] Encode(FeatureEncoder encoder, CsvTable table, IReadOnlyList<int> rows)
    {
        var sources = encoder.Columns.Select(c => table.IndexOf(c.Name)).ToArray();
        return rows.Select(row =>
        {
            var cells = table.Rows[row];
            return encoder.Encode(f => sources[f] < 0 ? null : cells[sources[f]]);
        }).ToArray();
    }
}
