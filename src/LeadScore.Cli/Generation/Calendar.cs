namespace LeadScore.Cli.Generation;

/// <summary>A marketing email sent to the whole list.</summary>
internal sealed record EmailSend(DateTimeOffset At, string Campaign);

/// <summary>A webinar everybody is invited to.</summary>
internal sealed record Webinar(DateTimeOffset At, string Name);

/// <summary>
/// The marketing calendar of the period, shared by every contact: a newsletter on Tuesdays, a nurture
/// email on Thursdays, a webinar every three weeks. Shared sends make opens cluster on send days as
/// in a real email log.
/// </summary>
internal sealed class Calendar
{
    private static readonly string[] Nurtures =
    [
        "nurture-product-tour", "nurture-case-study", "nurture-roi-calculator", "promo-webinar", "nurture-integrations",
        "promo-free-trial", "nurture-best-practices",
    ];

    private static readonly string[] WebinarTopics =
    [
        "scoring-models-that-sales-trusts", "from-mql-to-revenue", "intent-data-in-practice", "predictive-scoring-explained",
        "aligning-sales-and-marketing",
    ];

    public Calendar(DateTimeOffset start, DateTimeOffset end)
    {
        var sends = new List<EmailSend>();
        var webinars = new List<Webinar>();
        var firstDay = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero);
        var nurture = 0;
        for (var day = firstDay; day < end; day = day.AddDays(1))
        {
            var week = (int)((day - firstDay).TotalDays / 7);
            if (day.DayOfWeek == DayOfWeek.Tuesday)
            {
                sends.Add(new EmailSend(day.AddHours(14), $"newsletter-{day:yyyy-MM-dd}"));
            }
            else if (day.DayOfWeek == DayOfWeek.Thursday)
            {
                sends.Add(new EmailSend(day.AddHours(15), Nurtures[nurture++ % Nurtures.Length]));
            }
            else if (day.DayOfWeek == DayOfWeek.Wednesday && week % 3 == 1)
            {
                webinars.Add(new Webinar(day.AddHours(16), $"webinar-{WebinarTopics[webinars.Count % WebinarTopics.Length]}"));
            }
        }

        Sends = [.. sends.Where(s => s.At >= start && s.At < end)];
        Webinars = [.. webinars.Where(w => w.At >= start && w.At < end)];
    }

    public IReadOnlyList<EmailSend> Sends { get; }

    public IReadOnlyList<Webinar> Webinars { get; }
}
