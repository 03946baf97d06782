using LeadScore.Prediction.Csv;

namespace LeadScore.Prediction.Schema;

/// <summary>Infers each column's kind, levels and imputation value from the training file.</summary>
public static class TypeInference
{
    /// <summary>Categorical levels kept; the rest are folded into <see cref="OtherLevel"/>.</summary>
    public const int MaxLevels = 100;

    /// <summary>More distinct texts than this, or than half the rows, and a column is high-cardinality text.</summary>
    public const int MaxDistinctText = 1000;

    public const string OtherLevel = "(other)";
    public const string MissingLevel = "(missing)";

    /// <summary>The kind of one column's values (missing values already removed).</summary>
    public static ColumnKind InferKind(IReadOnlyCollection<string> values)
    {
        if (values.Count == 0)
        {
            return ColumnKind.Empty;
        }

        if (values.All(v => CellValues.TryBoolean(v, out _)))
        {
            return ColumnKind.Boolean;
        }

        if (values.All(v => CellValues.TryNumber(v, out _)))
        {
            return ColumnKind.Numeric;
        }

        if (values.All(v => CellValues.TryDate(v, out _, out _)))
        {
            return ColumnKind.Date;
        }

        var distinct = values.Distinct(StringComparer.Ordinal).Count();
        return distinct > MaxDistinctText || distinct > values.Count / 2 ? ColumnKind.HighCardinalityText : ColumnKind.Categorical;
    }

    /// <summary>Describes one column of <paramref name="table"/> with the role training gives it.</summary>
    public static ColumnSchema Describe(CsvTable table, int column, ColumnRole role)
    {
        var values = new List<string>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            if (row[column] is { } value)
            {
                values.Add(value);
            }
        }

        var kind = InferKind(values);
        var hasMissing = values.Count < table.Rows.Count;
        if (role == ColumnRole.Feature && kind is ColumnKind.HighCardinalityText or ColumnKind.Empty)
        {
            role = ColumnRole.Ignored;
        }

        return kind switch
        {
            ColumnKind.Numeric => new(table.Columns[column], kind, role, hasMissing, Mean(values.Select(v => { CellValues.TryNumber(v, out var x); return x; })), []),
            ColumnKind.Boolean => new(table.Columns[column], kind, role, hasMissing, Mean(values.Select(v => { CellValues.TryBoolean(v, out var b); return b ? 1.0 : 0.0; })), []),
            ColumnKind.Date => new(table.Columns[column], kind, role, hasMissing, Mean(values.Select(v => { CellValues.TryDate(v, out var d, out _); return d; })), []),
            ColumnKind.Categorical => new(table.Columns[column], kind, role, hasMissing, 0, TopLevels(values)),
            _ => new(table.Columns[column], kind, role, hasMissing, 0, []),
        };
    }

    private static double Mean(IEnumerable<double> values)
    {
        double sum = 0;
        var count = 0;
        foreach (var value in values)
        {
            sum += value;
            count++;
        }

        return count == 0 ? 0 : sum / count;
    }

    // Most frequent first, ties by name, so the same file always gives the same features.
    private static string[] TopLevels(List<string> values) =>
        values.GroupBy(v => v, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(MaxLevels).Select(g => g.Key).ToArray();
}
