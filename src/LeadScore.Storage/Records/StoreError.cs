namespace LeadScore.Storage.Records;

/// <summary>An expected failure (unknown model, invalid input), returned as a value with a code and a message that says how to fix it.</summary>
public sealed record StoreError(string Code, string Message)
{
    public override string ToString() => $"{Message} [{Code}]";
}
