namespace LeadScore.Storage.Records;

/// <summary>Where a webhook delivery stands.</summary>
public enum DeliveryState
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Retried for the whole retry window without success (a dead letter); it can be replayed.</summary>
    Dead,

    /// <summary>Its automation was deleted before it went out.</summary>
    Cancelled,
}
