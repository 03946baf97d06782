using LeadScore.Engine.Model;

namespace LeadScore.Storage.Records;

/// <summary>What erasing a record removed for good: the record and everything kept about it.</summary>
public sealed record ErasedRecord(RecordKind Kind, string Id, int Events, int Scores, int HistoryRows, int Outcomes, int Adjustments);
