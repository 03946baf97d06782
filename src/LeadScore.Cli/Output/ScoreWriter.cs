using System.Text.Json;
using LeadScore.Cli.Input;
using LeadScore.Engine.Scoring;

namespace LeadScore.Cli.Output;

/// <summary>
/// Writes score lines, as JSON Lines (the <see cref="ScoreLine"/> JSON, one per record) or as CSV
/// derived from that same JSON, so offline and stored scores print alike in both formats. A file is
/// replaced only on <see cref="Commit"/> (see <see cref="CompleteFile"/>).
/// </summary>
internal sealed class ScoreWriter : IDisposable
{
    private static readonly string[] ScoreColumns =
    [
        "score", "points", "segment", "requirementsMet", "qualified", "disqualified", "disqualifiedBy", "grade", "thresholds", "nextChangeAt",
    ];

    private readonly CompleteFile _file;
    private readonly TextWriter _output;
    private readonly bool _csv;
    private readonly string _recordKey;
    private readonly string[] _columns;
    private readonly IReadOnlyList<string> _categories;
    private ScoreWriter(CompleteFile file, bool csv, string recordKey, IReadOnlyList<string> categories)
    {
        _file = file;
        _output = file.Writer;
        _csv = csv;
        _recordKey = recordKey;
        _columns = [recordKey, .. ScoreColumns];
        _categories = categories;
        if (csv)
        {
            CsvRecords.WriteRecord(_output, _columns.Concat(categories.Select(c => $"category:{c}")));
        }
    }

    /// <param name="format">jsonl or csv.</param>
    /// <param name="recordKey">The key that holds the record id in a line: contact, deal or company.</param>
    /// <param name="categories">The model's category keys, in order: the CSV's last columns.</param>
    /// <param name="outFile">The file to write, or null for <paramref name="standardOutput"/>.</param>
    /// <param name="standardOutput">Where lines go without a file.</param>
    public static ScoreWriter Open(string format, string recordKey, IReadOnlyList<string> categories, FileInfo? outFile, TextWriter standardOutput) =>
        new(CompleteFile.Open(outFile, standardOutput), format == "csv", recordKey, categories);

    public void Write(ScoreCard card) => Write(ScoreLine.ToJson(card, _recordKey));

    /// <summary>Writes one score line, the JSON object <see cref="ScoreLine"/> writes.</summary>
    public void Write(string line)
    {
        if (_csv)
        {
            WriteCsv(line);
        }
        else
        {
            _output.WriteLine(line);
        }
    }

    /// <summary>Puts a written file in place; without it, disposing leaves the target untouched.</summary>
    public void Commit() => _file.Commit();

    public void Dispose() => _file.Dispose();

    private void WriteCsv(string line)
    {
        using var document = JsonDocument.Parse(line);
        var card = document.RootElement;
        var categories = card.TryGetProperty("categories", out var c) ? c : default;
        CsvRecords.WriteRecord(_output,
        [
            .. _columns.Select(column => column == "thresholds" ? Thresholds(card) : Cell(card, column)),
            .. _categories.Select(key => categories.ValueKind == JsonValueKind.Object && categories.TryGetProperty(key, out var points)
                ? points.GetRawText()
                : string.Empty),
        ]);
    }

    private static string Cell(JsonElement card, string name) =>
        card.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Null => string.Empty,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.GetRawText(),
            }
            : string.Empty;

    private static string Thresholds(JsonElement card) =>
        card.TryGetProperty("thresholds", out var thresholds) && thresholds.ValueKind == JsonValueKind.Array
            ? string.Join(';', thresholds.EnumerateArray().Select(t => t.GetString()))
            : string.Empty;
}
