namespace LeadScore.Storage.Records;

/// <summary>Which deliveries to list (all filters optional), newest first, a page at a time.</summary>
public sealed record DeliveryQuery
{
    public string? AutomationId { get; init; }

    public string? ContactId { get; init; }

    public DeliveryState? State { get; init; }

    public int Limit { get; init; } = 100;

    public string? Cursor { get; init; }
}
