using System.Globalization;
using System.Text.Json;

namespace LeadScore.Engine.Scoring;

/// <summary>
/// The one-line JSON form of a score card, shared by offline scoring, stored scores and the API so
/// that their outputs can be compared key for key.
/// </summary>
public static class ScoreLine
{
    // Relaxed escaping, as files and terminals want it: a grade "A+" stays "A+", not "A\u002B".
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Fractional points (from decay) are shown to two decimals.</summary>
    public static double Round(double points) => Math.Round(points, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Writes a card as one JSON object. The record's id goes under <paramref name="recordKey"/>:
    /// <c>contact</c> for contact models, <c>deal</c> or <c>company</c> for the others.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, ScoreCard card, string recordKey = "contact")
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(card);
        writer.WriteStartObject();
        writer.WriteString(recordKey, card.SubjectId);
        writer.WriteNumber("score", card.Score);
        writer.WriteNumber("points", card.Points);
        writer.WriteNumber("segment", card.Segment);
        writer.WriteNumber("requirementsMet", card.RequirementsMet);
        writer.WriteBoolean("qualified", card.Qualified);
        writer.WriteBoolean("disqualified", card.Disqualified);
        WriteNullableString(writer, "disqualifiedBy", card.DisqualifiedBy);
        WriteNullableString(writer, "grade", card.Grade);

        writer.WriteStartArray("thresholds");
        foreach (var threshold in card.Thresholds)
        {
            writer.WriteStringValue(threshold);
        }

        writer.WriteEndArray();

        writer.WriteStartObject("categories");
        foreach (var category in card.Categories)
        {
            writer.WriteNumber(category.Key, Round(category.Points));
        }

        writer.WriteEndObject();

        writer.WriteStartArray("rules");
        foreach (var rule in card.Rules)
        {
            writer.WriteStartObject();
            writer.WriteString("rule", rule.Rule);
            writer.WriteNumber("points", Round(rule.Points));
            if (rule.MatchedEvents > 0)
            {
                writer.WriteNumber("events", rule.MatchedEvents);
            }

            if (rule.Critical)
            {
                writer.WriteBoolean("critical", true);
            }

            if (rule.CappedAtMax)
            {
                writer.WriteBoolean("capped", true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (!card.Adjustments.IsEmpty)
        {
            // Only when there are any, so that a line without adjustments reads as offline scoring writes it.
            writer.WriteStartArray("adjustments");
            foreach (var adjustment in card.Adjustments)
            {
                writer.WriteStartObject();
                writer.WriteString("category", adjustment.Category);
                writer.WriteNumber("points", Round(adjustment.Points));
                writer.WriteString("reason", adjustment.Reason);
                WriteNullableString(writer, "expiresAt", adjustment.ExpiresAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        WriteNullableString(writer, "nextChangeAt", card.NextChangeAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteEndObject();
    }

    /// <summary>The card as a compact JSON text.</summary>
    public static string ToJson(ScoreCard card, string recordKey = "contact")
    {
        // A publish serialises every card of a workspace on every core: each thread keeps its buffer and
        // writer, so the only allocation left is the text itself (a new buffer per card grew several times
        // and was a quarter of a bulk re-score's garbage).
        var (buffer, writer) = _serialiser ??= NewSerialiser();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(writer, card, recordKey);
        writer.Flush();
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [ThreadStatic]
    private static (System.Buffers.ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _serialiser;

    private static (System.Buffers.ArrayBufferWriter<byte>, Utf8JsonWriter) NewSerialiser()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        return (buffer, new Utf8JsonWriter(buffer, Relaxed));
    }

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
