using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Review;

/// <summary>
/// One contact across time: who it is and what it did (<see cref="Subject"/>), since when it is known,
/// and when it first converted (null when it has not). From it the review draws the lead of any period
/// (<see cref="In"/>), so the proposal can be fitted on older periods and judged on newer ones.
/// </summary>
public sealed record LeadTimeline(ScoringSubject Subject, DateTimeOffset KnownSince, DateTimeOffset? ConvertedAt)
{
    /// <summary>
    /// The lead of <paramref name="period"/>: open at its start (not converted before it) and known by its
    /// end; a converter judged at its conversion, the rest at the end. Null when it is not a lead of the period.
    /// </summary>
    public ReviewedLead? In(ReviewPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (ConvertedAt < period.From || KnownSince > period.To)
        {
            return null;
        }

        var converted = ConvertedAt <= period.To;
        return new ReviewedLead(Subject, converted ? ConvertedAt!.Value : period.To, converted);
    }

    /// <summary>
    /// The lead as it stood at <paramref name="instant"/>, judged by whether it converts in the following
    /// <paramref name="horizon"/>: a forecast, the way the score is read when deciding whom to call next.
    /// Null when it had converted before <paramref name="instant"/> or was not known yet.
    /// </summary>
    public ReviewedLead? AheadOf(DateTimeOffset instant, TimeSpan horizon)
    {
        if (ConvertedAt < instant || KnownSince > instant)
        {
            return null;
        }

        return new ReviewedLead(Subject, instant, ConvertedAt <= instant + horizon);
    }

    /// <summary>A lead of one period as a history: it converted at the instant it is judged at, or not at all, and was known from the start.</summary>
    public static LeadTimeline Of(ReviewedLead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new LeadTimeline(lead.Subject, DateTimeOffset.MinValue, lead.Converted ? lead.JudgedAt : null);
    }
}
