using LeadScore.Engine.Values;

namespace LeadScore.Storage.Records;

/// <summary>
/// A deal to create or update, linked to its contact and company. Its standard fields
/// (<c>amount</c>, <c>stage</c>, <c>expectedCloseDate</c>) travel in <see cref="Fields"/> like any other.
/// </summary>
public sealed record DealInput(string Id, string? ContactId, string? CompanyId, IReadOnlyDictionary<string, FieldValue> Fields);
