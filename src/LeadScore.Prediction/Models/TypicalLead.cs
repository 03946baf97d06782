using System.Globalization;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Schema;

namespace LeadScore.Prediction.Models;

/// <summary>
/// What the typical lead has in each feature column, as a few cells with their shares of the training
/// rows: the four quartile midpoints of a number or a date (an eighth, three eighths, five eighths and
/// seven eighths of the way up), true and false, the most common levels of a category, and no value
/// when rows lack one. A reason is then measured exactly: the lead's probability against the mean of
/// its probabilities with each of these values in that one column, weighted by their shares.
/// </summary>
public static class TypicalLead
{
    /// <summary>At most this many values stand for a column: enough to tell the middle from the ends, cheap to score.</summary>
    public const int ValuesPerColumn = 4;

    private static readonly double[] QuartileMidpoints = [0.125, 0.375, 0.625, 0.875];

    /// <summary>Every feature column's typical values over <paramref name="rows"/> of <paramref name="table"/>.</summary>
    public static Dictionary<string, IReadOnlyList<TypicalCell>> Values(CsvTable table, IReadOnlyList<int> rows, IEnumerable<ColumnSchema> columns)
    {
        var typical = new Dictionary<string, IReadOnlyList<TypicalCell>>(StringComparer.Ordinal);
        foreach (var column in columns.Where(c => c.Role == ColumnRole.Feature))
        {
            var index = table.IndexOf(column.Name);
            if (index >= 0 && rows.Count > 0)
            {
                typical[column.Name] = Of(column, [.. rows.Select(r => table.Rows[r][index])]);
            }
        }

        return typical;
    }

    private static IReadOnlyList<TypicalCell> Of(ColumnSchema column, string?[] cells)
    {
        var present = cells.OfType<string>().ToList();
        var missingShare = 1 - ((double)present.Count / cells.Length);
        var values = column.Kind switch
        {
            ColumnKind.Numeric => Quartiles(present, c => CellValues.TryNumber(c, out var x) ? x : null, x => x.ToString("R", CultureInfo.InvariantCulture)),
            ColumnKind.Date => Quartiles(present, c => CellValues.TryDate(c, out var days, out _) ? days : null,
                d => DateTime.UnixEpoch.AddDays(Math.Round(d)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            _ => Levels(present),
        };
        var scaled = values.Select(v => v with { Share = v.Share * (1 - missingShare) }).ToList();
        if (missingShare > 0)
        {
            scaled.Add(new TypicalCell(null, missingShare));
        }

        var total = scaled.Sum(v => v.Share);
        return total <= 0 ? [] : [.. scaled.Select(v => v with { Share = v.Share / total })];
    }

    private static List<TypicalCell> Quartiles(List<string> cells, Func<string, double?> parse, Func<double, string> write)
    {
        var values = cells.Select(parse).OfType<double>().Order().ToArray();
        return values.Length == 0 ? []
            : [.. QuartileMidpoints.Select(q => values[(int)Math.Min(values.Length - 1, Math.Floor(q * values.Length))])
                .GroupBy(write, StringComparer.Ordinal).Select(g => new TypicalCell(g.Key, (double)g.Count() / QuartileMidpoints.Length))];
    }

    // The most common values with their shares among the rows that have one (the rest share out over them).
    private static List<TypicalCell> Levels(List<string> cells) =>
        [.. cells.GroupBy(c => c, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(ValuesPerColumn)
            .Select(g => new TypicalCell(g.Key, (double)g.Count() / cells.Count))];
}

/// <summary>One value the typical lead may have in a column (<c>null</c>: no value), and its share.</summary>
public sealed record TypicalCell(string? Cell, double Share);
