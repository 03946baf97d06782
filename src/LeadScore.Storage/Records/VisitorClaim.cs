namespace LeadScore.Storage.Records;

/// <summary>A visitor who said, by email alone, that they are an existing contact; held until a trusted source confirms.</summary>
public sealed record VisitorClaim(string VisitorId, string ContactId, string Email, IReadOnlyList<string> Traits, DateTimeOffset ClaimedAt);
