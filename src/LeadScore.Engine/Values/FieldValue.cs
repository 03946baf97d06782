using System.Globalization;

namespace LeadScore.Engine.Values;

/// <summary>
/// One value of a field or event property. Besides its text, a value carries the number and the
/// date it can be read as, parsed once when it is built, so that conditions compare without parsing
/// while scoring. A CSV cell "250" therefore satisfies <c>{"gte": 100}</c> like the JSON number 250.
/// </summary>
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private const long NoDate = long.MinValue;

    private readonly string? _text;
    private readonly double _number;
    private readonly long _utcTicks;

    private FieldValue(FieldKind kind, string text, double number, long utcTicks)
    {
        Kind = kind;
        _text = text;
        _number = number;
        _utcTicks = utcTicks;
    }

    /// <summary>The absent value: it fails every condition but <c>missing</c>.</summary>
    public static FieldValue Missing => default;

    public FieldKind Kind { get; }

    public bool IsMissing => Kind == FieldKind.Missing;

    /// <summary>The value as text; empty for a missing value.</summary>
    public string Text => _text ?? string.Empty;

    public bool HasNumber => !double.IsNaN(_number) && Kind != FieldKind.Missing;

    /// <summary>The value read as a number; NaN when it is not one.</summary>
    public double Number => Kind == FieldKind.Missing ? double.NaN : _number;

    public bool HasDate => _utcTicks != NoDate && Kind != FieldKind.Missing;

    /// <summary>The value read as an instant, in UTC ticks; only meaningful when <see cref="HasDate"/>.</summary>
    public long UtcTicks => _utcTicks;

    public static FieldValue FromNumber(double number)
    {
        if (double.IsNaN(number) || double.IsInfinity(number))
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, "A field value must be a finite number.");
        }

        return new FieldValue(FieldKind.Number, number.ToString("R", CultureInfo.InvariantCulture), number, NoDate);
    }

    public static FieldValue FromBoolean(bool value) =>
        new(FieldKind.Boolean, value ? "true" : "false", double.NaN, NoDate);

    public static FieldValue FromDate(DateTimeOffset value) =>
        new(FieldKind.Date, value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), double.NaN, value.UtcTicks);

    /// <summary>
    /// Text as it came from a file or an API. Empty text is missing (an empty CSV cell is no value).
    /// Text that reads as a number or an ISO 8601 date also carries that number or date.
    /// </summary>
    public static FieldValue FromText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Missing;
        }

        var number = double.NaN;
        if (LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            && double.IsFinite(parsed))
        {
            number = parsed;
        }

        var ticks = NoDate;
        if (double.IsNaN(number) && IsoDate.TryParse(text, out var instant))
        {
            ticks = instant.UtcTicks;
        }

        return new FieldValue(FieldKind.Text, text, number, ticks);
    }

    public bool TextEquals(string other) => string.Equals(Text, other, StringComparison.OrdinalIgnoreCase);

    public bool Equals(FieldValue other) =>
        Kind == other.Kind && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _text);

    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);

    public override string ToString() => IsMissing ? "(missing)" : Text;

    // A cheap pre-check so that ordinary words never pay for a failed number parse.
    private static bool LooksNumeric(string text)
    {
        var first = text[0];
        return char.IsAsciiDigit(first) || first is '-' or '+' or '.';
    }
}
