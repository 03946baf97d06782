namespace LeadScore.Storage.Records;

/// <summary>
/// The ranked list sales works from: current scores under one published model, filtered by grade,
/// by a threshold reached (its name, such as <c>mql</c>) and by segment digit, one page at a time.
/// </summary>
public sealed record LeadQuery(string ModelKey)
{
    public const int MaxLimit = 1000;

    public string? Grade { get; init; }

    public string? Threshold { get; init; }

    public int? Segment { get; init; }

    public LeadSort Sort { get; init; } = LeadSort.ScoreDescending;

    public int Limit { get; init; } = 50;

    /// <summary>The <see cref="Page{T}.NextCursor"/> of the previous page; it is only valid with the same sort.</summary>
    public string? Cursor { get; init; }
}
