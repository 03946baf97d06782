using System.Globalization;

namespace LeadScore.Engine.Values;

/// <summary>A length of time written the way the model format writes it: "12h", "30d", "2w".</summary>
public readonly record struct Duration
{
    private Duration(TimeSpan length, string text)
    {
        Length = length;
        Text = text;
    }

    private const double MaxHours = 24.0 * 365 * 10_000;

    public TimeSpan Length { get; }

    /// <summary>The duration as written in the model, so that a model reads back as it was written.</summary>
    public string Text { get; }

    public long Ticks => Length.Ticks;

    public static Duration FromDays(int days) => new(TimeSpan.FromDays(days), $"{days}d");

    /// <summary>Parses "12h", "30d" or "2w" (a positive whole number and a unit).</summary>
    public static bool TryParse(string? text, out Duration duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2)
        {
            return false;
        }

        var unit = char.ToLowerInvariant(text[^1]);
        if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0)
        {
            return false;
        }

        double? hours = unit switch
        {
            'h' => amount,
            'd' => amount * 24.0,
            'w' => amount * 24.0 * 7,
            _ => null,
        };
        // Nothing scores across ten thousand years; past that a TimeSpan overflows.
        if (hours is null || hours > MaxHours)
        {
            return false;
        }

        duration = new Duration(TimeSpan.FromHours(hours.Value), text);
        return true;
    }

    public override string ToString() => Text;
}
