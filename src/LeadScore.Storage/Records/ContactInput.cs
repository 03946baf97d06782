using LeadScore.Engine.Values;

namespace LeadScore.Storage.Records;

/// <summary>
/// A contact to create or update: its id, the company it works for (if known) and its fields,
/// standard and custom. An update replaces the fields it names and keeps the others.
/// </summary>
public sealed record ContactInput(string Id, IReadOnlyDictionary<string, FieldValue> Fields, string? CompanyId = null);
