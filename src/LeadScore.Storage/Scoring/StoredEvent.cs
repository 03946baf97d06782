namespace LeadScore.Storage.Scoring;

/// <summary>An event as a row: its properties already serialised, its instants in microseconds.</summary>
internal sealed record StoredEvent(string Id, string ContactId, string Type, long OccurredAtUs, string? Properties, long ReceivedAtUs);
