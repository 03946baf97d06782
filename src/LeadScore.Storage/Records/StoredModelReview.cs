namespace LeadScore.Storage.Records;

/// <summary>A stored review (numbered per workspace), with the draft version its proposal was saved as, if it was.</summary>
public sealed record StoredModelReview(
    long Id,
    string ModelKey,
    int ModelVersion,
    DateTimeOffset ReviewedAt,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    bool Scheduled,
    string Report,
    int? DraftVersion);
