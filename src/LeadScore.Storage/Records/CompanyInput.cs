using LeadScore.Engine.Values;

namespace LeadScore.Storage.Records;

/// <summary>A company (account) to create or update; fields it does not name are kept.</summary>
public sealed record CompanyInput(string Id, IReadOnlyDictionary<string, FieldValue> Fields);
