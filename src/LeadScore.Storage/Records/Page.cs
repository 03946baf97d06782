namespace LeadScore.Storage.Records;

/// <summary>One page of a list, and the opaque cursor that fetches the next one (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
