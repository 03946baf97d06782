using System.Globalization;
using System.Text;
using LeadScore.Cli.Output;

namespace LeadScore.Cli.Generation;

/// <summary>A column of a generated file; property columns go under <c>properties</c> in JSON Lines and stay flat in CSV.</summary>
internal sealed record Column(string Name, bool IsProperty = false);

/// <summary>
/// Writes rows of a fixed set of columns as JSON Lines (missing values left out) or CSV (a header,
/// missing values empty), in the shapes <c>leadscore import</c> reads. Values are formatted with the
/// invariant culture and lines end in '\n' on every platform, so the same rows give the same bytes.
/// </summary>
internal sealed class TableWriter : IDisposable
{
    private const int BufferSize = 1 << 16;

    private readonly StreamWriter _writer;
    private readonly Column[] _columns;
    private readonly bool _csv;
    private readonly string?[] _text;
    private readonly double[] _number;
    private readonly bool[] _isNumber;
    private readonly char[] _scratch = new char[64];
    private int _next;

    public TableWriter(string path, bool csv, params Column[] columns)
    {
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize) { NewLine = "\n" };
        _columns = columns;
        _csv = csv;
        _text = new string?[columns.Length];
        _number = new double[columns.Length];
        _isNumber = new bool[columns.Length];
        if (csv)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                _writer.Write(i == 0 ? "" : ",");
                _writer.Write(columns[i].Name);
            }

            _writer.Write('\n');
        }
    }

    public long Rows { get; private set; }

    /// <summary>The next column's value as text; null leaves it out.</summary>
    public TableWriter Text(string? value)
    {
        _text[_next] = value;
        _isNumber[_next++] = false;
        return this;
    }

    public TableWriter Number(double value)
    {
        _text[_next] = null;
        _number[_next] = value;
        _isNumber[_next++] = true;
        return this;
    }

    public TableWriter Number(double? value) => value is { } number ? Number(number) : Text(null);

    public TableWriter Instant(DateTimeOffset value) => Text(Iso(value));

    /// <summary>Writes the row whose values were just given, in column order.</summary>
    public void EndRow()
    {
        if (_next != _columns.Length)
        {
            throw new InvalidOperationException($"A row needs {_columns.Length} values, got {_next}.");
        }

        if (_csv)
        {
            WriteCsvRow();
        }
        else
        {
            WriteJsonRow();
        }

        _next = 0;
        Rows++;
    }

    public static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public void Dispose() => _writer.Dispose();

    private void WriteCsvRow()
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }

            if (_isNumber[i])
            {
                WriteNumber(_number[i]);
            }
            else if (_text[i] is { } text)
            {
                _writer.Write(CsvCell.Write(text));
            }
        }

        _writer.Write('\n');
    }

    private void WriteJsonRow()
    {
        _writer.Write('{');
        var first = true;
        for (var i = 0; i < _columns.Length; i++)
        {
            if (!_columns[i].IsProperty)
            {
                WriteJsonPair(i, ref first);
            }
        }

        var properties = false;
        for (var i = 0; i < _columns.Length; i++)
        {
            if (_columns[i].IsProperty && (_isNumber[i] || _text[i] is not null))
            {
                if (!properties)
                {
                    _writer.Write(first ? "\"properties\":{" : ",\"properties\":{");
                    first = false;
                    properties = true;
                    var innerFirst = true;
                    for (var j = i; j < _columns.Length; j++)
                    {
                        if (_columns[j].IsProperty)
                        {
                            WriteJsonPair(j, ref innerFirst);
                        }
                    }

                    _writer.Write('}');
                }
            }
        }

        _writer.Write("}\n");
    }

    private void WriteJsonPair(int i, ref bool first)
    {
        if (!_isNumber[i] && _text[i] is null)
        {
            return;
        }

        _writer.Write(first ? "\"" : ",\"");
        first = false;
        _writer.Write(_columns[i].Name);
        _writer.Write("\":");
        if (_isNumber[i])
        {
            WriteNumber(_number[i]);
        }
        else
        {
            WriteJsonString(_text[i]!);
        }
    }

    private void WriteNumber(double value)
    {
        value.TryFormat(_scratch, out var written, "R", CultureInfo.InvariantCulture);
        _writer.Write(_scratch, 0, written);
    }

    private void WriteJsonString(string text)
    {
        _writer.Write('"');
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\\' || c < ' ')
            {
                _writer.Write(text.AsSpan(start, i - start));
                _writer.Write(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => $"\\u{(int)c:x4}",
                });
                start = i + 1;
            }
        }

        _writer.Write(text.AsSpan(start));
        _writer.Write('"');
    }
}
