namespace LeadScore.Storage.Records;

/// <summary>Points a person adds to (or removes from) a contact's category under one model, with a reason and an optional expiry.</summary>
public sealed record AdjustmentInput(
    string ContactId,
    string ModelKey,
    string Category,
    double Points,
    string Reason,
    DateTimeOffset? ExpiresAt = null);
