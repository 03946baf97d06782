using System.Collections.Immutable;

namespace LeadScore.Storage.Records;

/// <summary>
/// A webhook delivery: written to the outbox in the transaction that made the change, then sent
/// until the receiver accepts it. <see cref="Id"/> is the idempotency key the receiver sees.
/// </summary>
public sealed record Delivery(
    string Id,
    string AutomationId,
    string ContactId,
    Uri Url,
    DeliveryState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatus,
    string? LastError,
    string Payload)
{
    /// <summary>Each attempt, oldest first; filled when one delivery is read, empty in lists.</summary>
    public ImmutableArray<DeliveryAttempt> AttemptLog { get; init; } = [];
}

/// <summary>One try at sending a delivery: the HTTP status (none when no answer came) or the error, and how long it took.</summary>
public sealed record DeliveryAttempt(int Number, DateTimeOffset At, int? Status, string? Error, TimeSpan Duration)
{
    public bool Succeeded => Status is >= 200 and < 300;
}
