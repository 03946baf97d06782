using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Review;

/// <summary>
/// One lead as the review judges it: who it is and what it did (<see cref="Subject"/>), the instant it
/// is judged at (the moment of its outcome, or the end of the period when it did not convert), and
/// whether it converted within the period. Any model can score it at that instant, so the published
/// model, the proposal and a draft are compared on the same leads.
/// </summary>
public sealed record ReviewedLead(ScoringSubject Subject, DateTimeOffset JudgedAt, bool Converted)
{
    /// <summary>How far back a behaviour counts as recent for the traits of misjudged leads.</summary>
    public static readonly TimeSpan RecentBehaviourWindow = TimeSpan.FromDays(30);

    public string Id => Subject.Id;

    /// <summary>The event types the lead did in the 30 days up to the instant it is judged at.</summary>
    public IEnumerable<string> RecentBehaviours => Subject.Events
        .Where(e => e.OccurredAt <= JudgedAt && e.OccurredAt > JudgedAt - RecentBehaviourWindow)
        .Select(e => e.Type)
        .Distinct(StringComparer.OrdinalIgnoreCase);
}
