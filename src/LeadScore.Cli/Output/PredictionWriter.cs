using System.Globalization;
using System.Text.Json;
using LeadScore.Cli.Input;
using LeadScore.Engine.Scoring;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Output;

/// <summary>
/// Writes stored predictions for a CRM or a spreadsheet, one per open contact, as JSON Lines or CSV with
/// the same columns. <c>percent</c> is the whole percent the API and dashboard show as the probability;
/// <c>probability</c> is the calibrated value itself (0 to 1), for ranking without ties. <c>reasons</c> gives each
/// reason with its signed size in probability points compared with the typical lead ("+4 pts"; a JSON line
/// has them as objects), and <c>tierMeaning</c> what the tier is; both are last, so older readers of the CSV keep working.
/// </summary>
internal sealed class PredictionWriter : IDisposable
{
    private static readonly string[] Columns =
    [
        "contact", "percent", "probability", "tier", "expectedAmount", "expectedDays", "expectedValue", "raising", "lowering", "modelVersion", "predictedAt",
        "tierMeaning", "reasons",
    ];

    private static readonly JsonSerializerOptions CamelCase = new(JsonSerializerDefaults.Web);

    private readonly CompleteFile _file;
    private readonly bool _csv;

    private PredictionWriter(CompleteFile file, bool csv)
    {
        _file = file;
        _csv = csv;
        if (csv)
        {
            CsvRecords.WriteRecord(file.Writer, Columns);
        }
    }

    /// <param name="format">jsonl or csv.</param>
    /// <param name="outFile">The file to write (replaced only on <see cref="Commit"/>), or null for <paramref name="standardOutput"/>.</param>
    /// <param name="standardOutput">Where lines go without a file.</param>
    public static PredictionWriter Open(string format, FileInfo? outFile, TextWriter standardOutput) =>
        new(CompleteFile.Open(outFile, standardOutput), format == "csv");

    public void Write(ContactPrediction prediction)
    {
        var reasons = prediction.Factors
            .Select(f => new Reason(f.Text, (f.Points ?? f.Weight) >= 0 ? "raises" : "lowers", f.Points))
            .ToArray();
        var raising = reasons.Where(r => r.Direction == "raises").Select(r => r.Text).ToArray();
        var lowering = reasons.Where(r => r.Direction == "lowers").Select(r => r.Text).ToArray();
        var probability = Math.Round(prediction.Probability, 6);
        var amount = Round(prediction.ExpectedAmount, 2);
        var days = Round(prediction.ExpectedDays, 1);
        var value = Round(prediction.ExpectedValue, 2);
        if (_csv)
        {
            CsvRecords.WriteRecord(_file.Writer,
            [
                prediction.ContactId, Text(prediction.Percent), Text(probability), PriorityTiers.Name(prediction.Tier), Text(amount), Text(days), Text(value),
                string.Join("; ", raising), string.Join("; ", lowering), Text(prediction.ModelVersion), prediction.PredictedAt.ToString("O", CultureInfo.InvariantCulture),
                prediction.TierMeaning ?? string.Empty, string.Join("; ", reasons.Select(r => r.Points is { } points ? $"{r.Text} ({PointsText.Signed(points)})" : r.Text)),
            ]);
            return;
        }

        _file.Writer.WriteLine(JsonSerializer.Serialize(
            new Line(prediction.ContactId, prediction.Percent, probability, PriorityTiers.Name(prediction.Tier), amount, days, value, raising, lowering, prediction.ModelVersion, prediction.PredictedAt,
                prediction.TierMeaning, reasons),
            CamelCase));
    }

    /// <summary>Puts a written file in place; without it, disposing leaves the target untouched.</summary>
    public void Commit() => _file.Commit();

    public void Dispose() => _file.Dispose();

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;

    private static string Text(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One JSON line; the names are those of the CSV columns.</summary>
    private sealed record Line(
        string Contact, int Percent, double Probability, string Tier, double? ExpectedAmount, double? ExpectedDays, double? ExpectedValue,
        string[] Raising, string[] Lowering, int ModelVersion, DateTimeOffset PredictedAt, string? TierMeaning, Reason[] Reasons);

    /// <summary>A reason with its direction (raises, lowers) and signed points compared with the typical lead, as the API gives it.</summary>
    private sealed record Reason(string Text, string Direction, double? Points);
}
