using System.Text.Json;
using System.Text.Json.Nodes;
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
    private readonly IReadOnlyList<string> _about;

    private ScoreWriter(CompleteFile file, bool csv, string recordKey, IReadOnlyList<string> categories, IReadOnlyList<string> about)
    {
        _file = file;
        _output = file.Writer;
        _csv = csv;
        _recordKey = recordKey;
        _columns = [recordKey, .. ScoreColumns];
        _categories = categories;
        _about = about;
        if (csv)
        {
            CsvRecords.WriteRecord(_output, [recordKey, .. about, .. ScoreColumns, .. categories.Select(c => $"category:{c}")]);
        }
    }

    /// <param name="format">jsonl or csv.</param>
    /// <param name="recordKey">The key that holds the record id in a line: contact, deal or company.</param>
    /// <param name="categories">The model's category keys, in order: the CSV's last columns.</param>
    /// <param name="outFile">The file to write, or null for <paramref name="standardOutput"/>.</param>
    /// <param name="standardOutput">Where lines go without a file.</param>
    /// <param name="about">
    /// Columns about the record written after its id (such as status, name, email, company), their
    /// values given with each line; in JSON lines they are added as properties.
    /// </param>
    public static ScoreWriter Open(
        string format, string recordKey, IReadOnlyList<string> categories, FileInfo? outFile, TextWriter standardOutput, IReadOnlyList<string>? about = null) =>
        new(CompleteFile.Open(outFile, standardOutput), format == "csv", recordKey, categories, about ?? []);

    public void Write(ScoreCard card) => Write(ScoreLine.ToJson(card, _recordKey));

    /// <summary>Writes one score line, the JSON object <see cref="ScoreLine"/> writes.</summary>
    public void Write(string line) => Write(line, []);

    /// <summary>Writes one score line with the values of the columns about its record, in their order (null when unknown).</summary>
    public void Write(string line, IReadOnlyList<string?> about)
    {
        if (_csv)
        {
            WriteCsv(line, about);
        }
        else if (_about.Count == 0)
        {
            _output.WriteLine(line);
        }
        else
        {
            var card = JsonNode.Parse(line)!.AsObject();
            for (var i = 0; i < _about.Count; i++)
            {
                card[_about[i]] = i < about.Count ? about[i] : null;
            }

            _output.WriteLine(card.ToJsonString());
        }
    }

    /// <summary>Puts a written file in place; without it, disposing leaves the target untouched.</summary>
    public void Commit() => _file.Commit();

    public void Dispose() => _file.Dispose();

    private void WriteCsv(string line, IReadOnlyList<string?> about)
    {
        using var document = JsonDocument.Parse(line);
        var card = document.RootElement;
        var categories = card.TryGetProperty("categories", out var c) ? c : default;
        CsvRecords.WriteRecord(_output,
        [
            Cell(card, _recordKey),
            .. _about.Select((_, i) => i < about.Count ? about[i] ?? string.Empty : string.Empty),
            .. _columns.Skip(1).Select(column => column == "thresholds" ? Thresholds(card) : Cell(card, column)),
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
