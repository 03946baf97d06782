namespace LeadScore.Storage.Records;

/// <summary>
/// A review to store: the model version judged, when, the period, the report (JSON the server writes),
/// and for a scheduled review the day it fell due (stored once per model and day, whoever runs it).
/// </summary>
public sealed record ModelReviewInput(
    string ModelKey,
    int ModelVersion,
    DateTimeOffset ReviewedAt,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    string Report,
    DateOnly? ScheduledDay = null);
