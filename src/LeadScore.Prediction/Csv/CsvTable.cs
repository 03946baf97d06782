using System.Text;

namespace LeadScore.Prediction.Csv;

/// <summary>
/// A CSV file read whole: the header's column names and the rows' cells, with every spelling of
/// "no value" (empty, unknown, NA, null) already turned into <c>null</c> so nothing downstream guesses again.
/// </summary>
public sealed class CsvTable
{
    private static readonly string[] MissingTokens = ["unknown", "na", "n/a", "null"];

    private CsvTable(IReadOnlyList<string> columns, IReadOnlyList<string?[]> rows, char separator)
    {
        Columns = columns;
        Rows = rows;
        Separator = separator;
    }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>One array per data row, as long as <see cref="Columns"/>; <c>null</c> is a missing value.</summary>
    public IReadOnlyList<string?[]> Rows { get; }

    public char Separator { get; }

    /// <summary>The column's position, or -1; names are matched exactly, then ignoring case.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// A table built in memory (the store's as-of snapshots), so it trains and predicts exactly like a file.
    /// Cells are taken as they are: the caller writes <c>null</c> for a missing value.
    /// </summary>
    public static CsvTable FromCells(IReadOnlyList<string> columns, IReadOnlyList<string?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.FirstOrDefault(r => r.Length != columns.Count) is { } uneven)
        {
            throw new ArgumentException($"every row needs {columns.Count} cells; one has {uneven.Length}", nameof(rows));
        }

        return new CsvTable(columns, rows, ',');
    }

    public static CsvReadResult ReadFile(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : CsvReadResult.Failed($"file '{path}' does not exist");

    public static CsvReadResult Parse(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var separator = DetectSeparator(text);
        var records = new List<(int Line, List<string> Cells)>();
        var error = ReadRecords(text, separator, records);
        if (error is not null)
        {
            return CsvReadResult.Failed(error);
        }

        if (records.Count == 0)
        {
            return CsvReadResult.Failed("the file is empty: a header row is needed");
        }

        var columns = records[0].Cells.Select(c => c.Trim()).ToArray();
        var duplicate = columns.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return CsvReadResult.Failed($"the header names the column '{duplicate.Key}' more than once");
        }

        var rows = new List<string?[]>(records.Count - 1);
        foreach (var (line, cells) in records.Skip(1))
        {
            if (cells.Count != columns.Length)
            {
                return CsvReadResult.Failed($"line {line} has {cells.Count} cells but the header has {columns.Length}");
            }

            rows.Add(cells.Select(Normalize).ToArray());
        }

        return CsvReadResult.Read(new CsvTable(columns, rows, separator));
    }

    private static string? Normalize(string cell)
    {
        var trimmed = cell.Trim();
        return trimmed.Length == 0 || MissingTokens.Contains(trimmed, StringComparer.OrdinalIgnoreCase) ? null : trimmed;
    }

    // The header decides: whichever of ',' and ';' it holds more often outside quotes.
    private static char DetectSeparator(string text)
    {
        int commas = 0, semicolons = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && (c == '\n' || c == '\r'))
            {
                break;
            }
            else if (!quoted && c == ',')
            {
                commas++;
            }
            else if (!quoted && c == ';')
            {
                semicolons++;
            }
        }

        return semicolons > commas ? ';' : ',';
    }

    // RFC 4180: quoted cells may hold separators, line breaks and doubled quotes; blank lines are skipped.
    private static string? ReadRecords(string text, char separator, List<(int Line, List<string> Cells)> records)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var recordHasContent = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && cell.Length == 0)
            {
                var start = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        return $"line {start} opens a quote that is never closed";
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            cell.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    if (text[i] == '\n')
                    {
                        line++;
                    }

                    cell.Append(text[i]);
                    i++;
                }

                recordHasContent = true;
                continue;
            }

            if (c == separator)
            {
                cells.Add(cell.ToString());
                cell.Clear();
                recordHasContent = true;
                i++;
                continue;
            }

            if (c == '\r' || c == '\n')
            {
                if (recordHasContent || cell.Length > 0)
                {
                    cells.Add(cell.ToString());
                    records.Add((recordLine, cells));
                    cells = [];
                }

                cell.Clear();
                recordHasContent = false;
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                line++;
                recordLine = line;
                continue;
            }

            cell.Append(c);
            i++;
        }

        if (recordHasContent || cell.Length > 0)
        {
            cells.Add(cell.ToString());
            records.Add((recordLine, cells));
        }

        return null;
    }
}
