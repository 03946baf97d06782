using LeadScore.Engine.Values;
using LeadScore.Storage.Rows;

namespace LeadScore.Cli.Input;

/// <summary>
/// Reads records from CSV (separator detected, see <see cref="CsvRecords"/>) or JSON Lines, chosen by the file's extension or,
/// failing that, by its first character. Rows that cannot be read come back with an error, so the
/// caller reports every bad line at once.
/// </summary>
internal static class SourceFile
{
    /// <summary>
    /// Reads each row into an item with <paramref name="read"/>: every row comes back with its line and
    /// either the item or the <see cref="InputError"/> that says why it is not one.
    /// </summary>
    public static IEnumerable<(int Line, T? Item, InputError? Error)> ReadItems<T>(string path, Func<SourceRow, RowReading<T>> read)
        where T : class
    {
        var name = Path.GetFileName(path);
        foreach (var row in ReadRows(path))
        {
            if (row.Error is not null)
            {
                yield return (row.Line, null, new InputError(name, row.Line, row.Error));
                continue;
            }

            var reading = read(row);
            yield return reading.Item is { } item
                ? (row.Line, item, null)
                : (row.Line, null, new InputError(name, row.Line, reading.Problem!, reading.Column));
        }
    }

    public static IEnumerable<SourceRow> ReadRows(string path)
    {
        return IsJsonLines(path) ? ReadJsonLines(path) : ReadCsv(path);
    }

    /// <summary>The column names of a CSV file; null for JSON Lines, whose keys vary from line to line.</summary>
    public static IReadOnlyList<string>? ReadCsvHeader(string path)
    {
        if (IsJsonLines(path))
        {
            return null;
        }

        using var reader = new StreamReader(path);
        return new CsvRecords(reader).Read() is { } header ? [.. header.Select(h => h.Trim())] : [];
    }

    private static bool IsJsonLines(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".jsonl" or ".ndjson" or ".json")
        {
            return true;
        }

        if (extension is ".csv" or ".tsv" or ".txt")
        {
            return false;
        }

        using var reader = new StreamReader(path);
        int next;
        while ((next = reader.Read()) >= 0 && char.IsWhiteSpace((char)next))
        {
        }

        return next == '{';
    }

    private static IEnumerable<SourceRow> ReadJsonLines(string path)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return JsonRow.Parse(line, lineNumber);
        }
    }

    private static IEnumerable<SourceRow> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        var csv = new CsvRecords(reader);
        var header = csv.Read();
        if (header is null)
        {
            yield break;
        }

        header = [.. header.Select(h => h.Trim())];
        while (csv.Read() is { } record)
        {
            if (record.Length > header.Length)
            {
                yield return new SourceRow(csv.RecordLine, [], $"{record.Length} values for {header.Length} columns (a separator inside an unquoted value?)");
                continue;
            }

            var cells = new List<SourceCell>(header.Length);
            for (var i = 0; i < header.Length; i++)
            {
                cells.Add(new SourceCell(header[i], FieldValue.FromText(i < record.Length ? record[i].Trim() : null), Column: i + 1));
            }

            yield return new SourceRow(csv.RecordLine, cells);
        }
    }
}
