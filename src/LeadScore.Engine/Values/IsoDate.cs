using System.Globalization;

namespace LeadScore.Engine.Values;

/// <summary>Reads ISO 8601 dates and instants; a value without an offset is taken as UTC.</summary>
public static class IsoDate
{
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        // Only text shaped like yyyy-mm-dd is tried: "2024" or "Q3-2026" must stay plain text.
        if (text is null || text.Length < 10 || text[4] != '-' || text[7] != '-' || !char.IsAsciiDigit(text[0]))
        {
            return false;
        }

        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);
    }
}
