namespace LeadScore.Storage.Records;

/// <summary>
/// An item of a batch that was not stored, with its position in the batch and why; <see cref="Path"/>
/// is the JSON path of the value at fault (such as <c>$[3].employees</c>) when one value is.
/// </summary>
public sealed record Rejection(int Index, string? Id, string Reason, string? Path = null)
{
    public override string ToString() => Id is null ? $"item {Index}: {Reason}" : $"item {Index} ('{Id}'): {Reason}";
}
