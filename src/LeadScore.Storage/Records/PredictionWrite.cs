namespace LeadScore.Storage.Records;

/// <summary>
/// What replacing a workspace's predictions did: rows written, rows removed (converted or gone),
/// tiers that changed from a previous prediction, and priority-changed automations that ran.
/// </summary>
public sealed record PredictionWrite(int Written, int Removed, int TiersChanged, int AutomationsRan = 0);
