namespace LeadScore.Storage;

/// <summary>
/// The tenant every row belongs to. A distinct type, because a workspace mixed up with a contact id
/// would leak one customer's leads to another.
/// </summary>
public readonly record struct WorkspaceId
{
    public const int MaxLength = 64;

    public WorkspaceId(string value)
    {
        if (!IsValid(value))
        {
            throw new ArgumentException(
                $"'{value}' is not a workspace id: use 1 to {MaxLength} lower-case letters, digits, '-' or '_'.", nameof(value));
        }

        Value = value;
    }

    /// <summary>The workspace the command line and the demo use when none is named.</summary>
    public static WorkspaceId Default { get; } = new("default");

    public string Value { get; }

    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    public override string ToString() => Value;
}
