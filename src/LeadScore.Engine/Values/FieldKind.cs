namespace LeadScore.Engine.Values;

/// <summary>The kind a value had where it came from (a JSON number, a CSV cell...).</summary>
public enum FieldKind
{
    Missing,
    Text,
    Number,
    Boolean,
    Date,
}
