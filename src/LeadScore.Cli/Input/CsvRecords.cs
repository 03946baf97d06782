using System.Text;
using LeadScore.Cli.Output;

namespace LeadScore.Cli.Input;

/// <summary>
/// A small RFC 4180 reader: quoted fields, doubled quotes, separators and line breaks inside quotes.
/// The separator is the one of , ; tab | that appears most in the header line. Kept in-house because
/// it must report the physical line each record starts on, which is what users fix.
/// </summary>
internal sealed class CsvRecords(TextReader reader)
{
    private static readonly char[] Candidates = [',', ';', '\t', '|'];

    private int _line;
    private char _separator;

    /// <summary>The line the last record returned by <see cref="Read"/> started on.</summary>
    public int RecordLine { get; private set; }

    public static char DetectSeparator(string headerLine) =>
        Candidates.OrderByDescending(c => headerLine.Count(ch => ch == c)).ThenBy(c => Array.IndexOf(Candidates, c)).First();

    /// <summary>The next record's fields, or null at the end.</summary>
    public string[]? Read()
    {
        var text = reader.ReadLine();
        _line++;
        while (text is not null && text.Length == 0)
        {
            text = reader.ReadLine();
            _line++;
        }

        if (text is null)
        {
            return null;
        }

        if (_separator == default)
        {
            _separator = DetectSeparator(text);
        }

        RecordLine = _line;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var position = 0;
        while (true)
        {
            if (position == text.Length)
            {
                if (!quoted)
                {
                    fields.Add(field.ToString());
                    return [.. fields];
                }

                // A quoted field goes on over the line break.
                var next = reader.ReadLine();
                _line++;
                if (next is null)
                {
                    fields.Add(field.ToString());
                    return [.. fields];
                }

                field.Append('\n');
                text = next;
                position = 0;
                continue;
            }

            var c = text[position++];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (position < text.Length && text[position] == '"')
                {
                    field.Append('"');
                    position++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == _separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
    }

    /// <summary>Writes one CSV record, each field through <see cref="CsvCell"/> (quoted when needed, formulas neutralised).</summary>
    public static void WriteRecord(TextWriter writer, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                writer.Write(',');
            }

            first = false;
            writer.Write(CsvCell.Write(field));
        }

        writer.WriteLine();
    }
}
