using System.Globalization;
using System.Text.RegularExpressions;

namespace LeadScore.Prediction.Schema;

/// <summary>How a cell's text reads as a number, a boolean or a date; one place so training and prediction agree.</summary>
internal static partial class CellValues
{
    private static readonly string[] TrueTokens = ["yes", "true", "1"];
    private static readonly string[] FalseTokens = ["no", "false", "0"];

    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static bool TryBoolean(string text, out bool value)
    {
        if (TrueTokens.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        value = false;
        return FalseTokens.Contains(text, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A yyyy-MM-dd date (midnight UTC) or an ISO 8601 instant (UTC when it has no offset).</summary>
    public static bool TryInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        return IsoDatePrefix().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
    }

    /// <summary>A date as days since 1970-01-01 (UTC) and its month; yyyy-MM-dd or an ISO 8601 instant.</summary>
    public static bool TryDate(string text, out double daysSinceEpoch, out int month)
    {
        daysSinceEpoch = 0;
        month = 0;
        if (!TryInstant(text, out var instant))
        {
            return false;
        }

        daysSinceEpoch = (instant.UtcDateTime - DateTime.UnixEpoch).TotalDays;
        month = instant.Month;
        return true;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDatePrefix();
}
