using System.Buffers;
using System.Text.RegularExpressions;

namespace LeadScore.Cli.Output;

/// <summary>
/// One cell of every CSV the product writes. Ids, names and reasons come from whoever fed the CRM or
/// the API, and a spreadsheet runs a cell starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or
/// CR as a formula (CSV injection: <c>=HYPERLINK(...)</c>, <c>+cmd|' /C calc'!A0</c>). Such a cell gets a
/// leading <c>'</c>, as OWASP advises; a plain number such as <c>-12</c> or <c>-0.5</c> is data, so it is
/// left as it is. (The server writes no CSV; every writer is here, in the CLI.)
/// </summary>
internal static partial class CsvCell
{
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\n\r;\t|");

    /// <summary>The cell as written: neutralised, then quoted (quotes doubled) when it holds a separator, quote or line break.</summary>
    public static string Write(string cell)
    {
        var safe = Neutralise(cell);
        return safe.AsSpan().IndexOfAny(NeedsQuotes) >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }

    /// <summary><paramref name="cell"/> with a leading <c>'</c> when a spreadsheet would read it as a formula; a plain number as it is.</summary>
    public static string Neutralise(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Length > 0 && FormulaStarts.Contains(cell[0]) && !PlainNumber().IsMatch(cell) ? "'" + cell : cell;
    }

    // Digits with an optional sign, decimal point and exponent; nothing a spreadsheet could evaluate.
    [GeneratedRegex(@"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
