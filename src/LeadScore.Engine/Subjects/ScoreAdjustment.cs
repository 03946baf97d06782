namespace LeadScore.Engine.Subjects;

/// <summary>Points a person added to (or removed from) a category by hand, with why, until an optional expiry.</summary>
public sealed record ScoreAdjustment(string Category, double Points, string Reason, DateTimeOffset? ExpiresAt = null)
{
    public bool IsActiveAt(DateTimeOffset asOf) => ExpiresAt is null || ExpiresAt.Value > asOf;
}
