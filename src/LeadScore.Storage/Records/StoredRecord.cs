using LeadScore.Engine.Model;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Records;

/// <summary>A contact, company or deal as stored, with its links.</summary>
public sealed record StoredRecord(
    RecordKind Kind,
    string Id,
    IReadOnlyDictionary<string, FieldValue> Fields,
    string? ContactId,
    string? CompanyId,
    DateTimeOffset UpdatedAt);
