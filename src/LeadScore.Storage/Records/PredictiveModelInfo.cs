namespace LeadScore.Storage.Records;

/// <summary>
/// One trained predictive model version: when it was trained, how many conversions the store knew of
/// then (the schedule retrains when they grow by a fifth), and its report (metrics, settings, features)
/// as JSON the server writes and reads.
/// </summary>
public sealed record PredictiveModelInfo(int Version, DateTimeOffset TrainedAt, int Conversions, string Report);
