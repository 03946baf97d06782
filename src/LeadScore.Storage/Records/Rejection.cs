namespace LeadScore.Storage.Records;

/// <summary>An item of a batch that was not stored, with its position in the batch and why.</summary>
public sealed record Rejection(int Index, string? Id, string Reason)
{
    public override string ToString() => Id is null ? $"item {Index}: {Reason}" : $"item {Index} ('{Id}'): {Reason}";
}
