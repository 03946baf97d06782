using LeadScore.Engine.Model;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Records;

/// <summary>
/// A typed custom field: values written to it are checked and stored as its type, so that
/// <c>"250"</c> from a CSV is the number 250 and <c>"soon"</c> in a number field is refused.
/// </summary>
public sealed record FieldDefinition(RecordKind Record, string Name, FieldKind Type, string? Label = null)
{
    /// <summary>Reads a type name as users write it; null when it is not one of text, number, boolean, date.</summary>
    public static FieldKind? ParseType(string? name) => name?.ToLowerInvariant() switch
    {
        "text" or "string" => FieldKind.Text,
        "number" => FieldKind.Number,
        "boolean" or "bool" => FieldKind.Boolean,
        "date" or "datetime" => FieldKind.Date,
        _ => null,
    };
}
