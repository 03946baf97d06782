using LeadScore.Storage.Rows;

namespace LeadScore.Cli.Import;

/// <summary>
/// The <c>--map column=field</c> renames of an import: a source column read as a field of another
/// name, or ignored when the field is empty (<c>--map Notes=</c>). A mapped column takes the place of
/// a column already named like its field.
/// </summary>
internal sealed class ColumnMap
{
    private readonly Dictionary<string, string> _fieldByColumn;
    private readonly HashSet<string> _fields;

    private ColumnMap(Dictionary<string, string> fieldByColumn)
    {
        _fieldByColumn = fieldByColumn;
        _fields = new HashSet<string>(fieldByColumn.Values.Where(f => f.Length > 0), StringComparer.OrdinalIgnoreCase);
    }

    public static ColumnMap None { get; } = new(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    public bool IsEmpty => _fieldByColumn.Count == 0;

    /// <summary>Reads <c>column=field</c> specs; null with a problem when one is malformed or repeats a column or a field.</summary>
    public static ColumnMap? Parse(IEnumerable<string> specs, out string? problem)
    {
        problem = null;
        var fieldByColumn = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var columnByField = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var spec in specs)
        {
            var equals = spec.IndexOf('=', StringComparison.Ordinal);
            var column = equals < 0 ? string.Empty : spec[..equals].Trim();
            var field = equals < 0 ? string.Empty : spec[(equals + 1)..].Trim();
            if (column.Length == 0)
            {
                problem = $"--map '{spec}' is not column=field (for example --map \"E-mail=email\", or --map \"Notes=\" to skip a column)";
                return null;
            }

            if (!fieldByColumn.TryAdd(column, field))
            {
                problem = $"--map names the column '{column}' twice";
                return null;
            }

            if (field.Length > 0 && !columnByField.TryAdd(field, column))
            {
                problem = $"--map maps both '{columnByField[field]}' and '{column}' to the field '{field}'";
                return null;
            }
        }

        return new ColumnMap(fieldByColumn);
    }

    /// <summary>A problem when a CSV header lacks a mapped column (a likely typo); null when all are there.</summary>
    public string? CheckColumns(IReadOnlyList<string> header)
    {
        var absent = _fieldByColumn.Keys.Where(c => !header.Contains(c, StringComparer.OrdinalIgnoreCase)).ToArray();
        return absent.Length == 0
            ? null
            : $"--map names {string.Join(", ", absent.Select(c => $"'{c}'"))}, which the file does not have; its columns are "
                + string.Join(", ", header.Select(h => $"'{h}'"));
    }

    public SourceRow Apply(SourceRow row)
    {
        if (IsEmpty || row.Error is not null)
        {
            return row;
        }

        var cells = new List<SourceCell>(row.Cells.Count);
        foreach (var cell in row.Cells)
        {
            if (_fieldByColumn.TryGetValue(cell.Name, out var field))
            {
                if (field.Length > 0)
                {
                    cells.Add(cell with { Name = field });
                }
            }
            else if (!_fields.Contains(cell.Name))
            {
                cells.Add(cell);
            }
        }

        return row with { Cells = cells };
    }
}
