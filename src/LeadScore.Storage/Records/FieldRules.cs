using System.Collections.Frozen;
using LeadScore.Engine.Model;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Records;

/// <summary>
/// The types fields must have: the standard numeric and date fields, and the custom fields a
/// workspace defined. A value is checked and converted before anything is written, so a
/// "250" from a CSV is stored as the number 250 and "soon" in a number field is refused.
/// </summary>
internal sealed class FieldRules
{
    public const int MaxFields = 200;
    public const int MaxTextLength = 4_000;
    public const int MaxIdLength = 200;

    private static readonly FrozenDictionary<string, FieldKind> ContactStandard = new Dictionary<string, FieldKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["employees"] = FieldKind.Number,
        ["annualRevenue"] = FieldKind.Number,
        ["age"] = FieldKind.Number,
        ["budget"] = FieldKind.Number,
        ["purchaseTimeframeDays"] = FieldKind.Number,
        ["createdAt"] = FieldKind.Date,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, FieldKind> CompanyStandard = new Dictionary<string, FieldKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["employees"] = FieldKind.Number,
        ["annualRevenue"] = FieldKind.Number,
        ["createdAt"] = FieldKind.Date,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, FieldKind> DealStandard = new Dictionary<string, FieldKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["amount"] = FieldKind.Number,
        ["expectedCloseDate"] = FieldKind.Date,
        ["createdAt"] = FieldKind.Date,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly Dictionary<(RecordKind, string), FieldKind> _custom;

    public FieldRules(IEnumerable<FieldDefinition> definitions)
    {
        _custom = new Dictionary<(RecordKind, string), FieldKind>();
        foreach (var definition in definitions)
        {
            _custom[(definition.Record, definition.Name.ToLowerInvariant())] = definition.Type;
        }
    }

    public static string? CheckId(string? id, string what) =>
        string.IsNullOrWhiteSpace(id) ? $"no {what} id: every {what} needs one"
        : id.Length > MaxIdLength ? $"the {what} id is {id.Length} characters long; at most {MaxIdLength} are allowed"
        : CheckText(id, $"the {what} id");

    /// <summary>
    /// Why text cannot be stored (a NUL, a lone surrogate; see <see cref="StorableText"/>), or null.
    /// The API refuses such text as it reads a body; this is for every other way in (an imported CSV),
    /// so that both databases refuse the item rather than PostgreSQL failing the whole write.
    /// </summary>
    public static string? CheckText(string? text, string what) =>
        text is not null && StorableText.Problem(text) is { } problem ? $"{what} {problem}" : null;

    /// <summary>Checks and converts fields; returns the reason when one does not fit its type.</summary>
    public string? Normalise(RecordKind kind, IReadOnlyDictionary<string, FieldValue> fields, out Dictionary<string, FieldValue> normalised)
    {
        normalised = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
        if (fields.Count > MaxFields)
        {
            return $"{fields.Count} fields; at most {MaxFields} are allowed per record";
        }

        var standard = kind switch
        {
            RecordKind.Contact => ContactStandard,
            RecordKind.Company => CompanyStandard,
            _ => DealStandard,
        };
        foreach (var (name, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            {
                return $"field name '{name}' must be 1 to 100 characters";
            }

            if ((CheckText(name, "a field name") ?? CheckText(value.Text, $"field '{name}'")) is { } badText)
            {
                return badText;
            }

            if (value.IsMissing)
            {
                continue;
            }

            if (value.Text.Length > MaxTextLength)
            {
                return $"field '{name}' is {value.Text.Length} characters long; at most {MaxTextLength} are allowed";
            }

            var type = standard.TryGetValue(name, out var known) ? known
                : _custom.TryGetValue((kind, name.ToLowerInvariant()), out var custom) ? custom
                : FieldKind.Missing;
            var converted = Convert(value, type);
            if (converted is not { } ok)
            {
                return $"field '{name}' holds {Describe(type)}; '{value.Text}' is not one";
            }

            normalised[name] = ok;
        }

        return null;
    }

    private static FieldValue? Convert(FieldValue value, FieldKind type) => type switch
    {
        FieldKind.Number => value.HasNumber ? FieldValue.FromNumber(value.Number) : null,
        FieldKind.Date => value.HasDate ? FieldValue.FromDate(new DateTimeOffset(value.UtcTicks, TimeSpan.Zero)) : null,
        FieldKind.Boolean => value.Text.ToLowerInvariant() switch
        {
            "true" or "yes" or "1" => FieldValue.FromBoolean(true),
            "false" or "no" or "0" => FieldValue.FromBoolean(false),
            _ => null,
        },
        FieldKind.Text => FieldValue.FromText(value.Text),
        _ => value,
    };

    private static string Describe(FieldKind type) => type switch
    {
        FieldKind.Number => "a number",
        FieldKind.Date => "an ISO 8601 date such as 2026-11-01",
        FieldKind.Boolean => "true or false",
        _ => "text",
    };
}
