using LeadScore.Engine.Scoring;

namespace LeadScore.Storage.Records;

/// <summary>
/// The ranked list sales works from: current scores under one published model, filtered by status
/// (open leads only unless asked), by grade, by a threshold reached (its name, such as <c>mql</c>), by
/// segment digit, by predicted priority tier and by text, one page at a time.
/// </summary>
public sealed record LeadQuery(string ModelKey)
{
    public const int MaxLimit = 1000;

    public string? Grade { get; init; }

    public string? Threshold { get; init; }

    public int? Segment { get; init; }

    /// <summary>Only contacts whose prediction is in this priority tier (very high, high, medium, low).</summary>
    public PriorityTier? Tier { get; init; }

    /// <summary>Text the record id, or a contact's email or name, contains (case-insensitive).</summary>
    public string? Search { get; init; }

    /// <summary>
    /// The statuses listed; by default only open leads: customers, won and lost deals and disqualified
    /// leads are not whom to call next.
    /// </summary>
    public IReadOnlySet<LeadStatus> Statuses { get; init; } = LeadStatuses.OpenOnly;

    public LeadSort Sort { get; init; } = LeadSort.Priority;

    public int Limit { get; init; } = 50;

    /// <summary>The <see cref="Page{T}.NextCursor"/> of the previous page; it is only valid with the same sort.</summary>
    public string? Cursor { get; init; }
}
