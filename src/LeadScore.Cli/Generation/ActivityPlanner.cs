namespace LeadScore.Cli.Generation;

/// <summary>
/// Draws the events of one contact over the period: email engagement on the shared sends, website
/// sessions with page views, downloads behind forms, webinars, shares, and the rare high-intent
/// actions (pricing, trial, demo, contact request), all at rates that grow with the person's
/// interest, and intent that grows with their propensity. Those who evaluate the product get a burst
/// of such activity in the days before their decision; noise contacts open and click everything.
/// </summary>
internal sealed class ActivityPlanner(GenerationOptions options, Calendar calendar)
{
    private const double SessionsPerDay = 0.07;
    private const double DownloadsPerDay = 0.01;
    private const double SharesPerDay = 0.002;
    private const double IntentPerDay = 0.0015;

    private readonly long _start = options.Start.UtcTicks;
    private readonly long _end = options.AsOf.UtcTicks;

    /// <summary>Fills <paramref name="events"/> with the lead's events, in time order.</summary>
    public void Plan(Lead lead, List<PlannedEvent> events)
    {
        events.Clear();
        var random = SeededRandom.For(options.Seed, 3, lead.Number);
        Emails(lead, ref random, events);
        var days = options.Days;
        var sessions = random.Poisson(SessionsPerDay * days * (lead.Noise ? 3 : lead.Interest));
        for (var i = 0; i < sessions; i++)
        {
            Session(lead, ref random, events, RandomDaytime(ref random, _start, _end), lead.Propensity, pricingViews: 0);
        }

        var downloads = random.Poisson(DownloadsPerDay * days * lead.Interest);
        for (var i = 0; i < downloads; i++)
        {
            Download(ref random, events, RandomDaytime(ref random, _start, _end));
        }

        Webinars(lead, ref random, events);
        var shares = random.Poisson(SharesPerDay * days * lead.Interest);
        for (var i = 0; i < shares; i++)
        {
            events.Add(new PlannedEvent(RandomDaytime(ref random, _start, _end), "social_share", Url: Catalog.Site + random.Pick(Catalog.Pages)));
        }

        // Intent outside an evaluation: occasional, more likely for people who would buy.
        var intent = random.Poisson(IntentPerDay * days * lead.Interest * (0.3 + 6 * lead.Propensity));
        for (var i = 0; i < intent; i++)
        {
            var at = RandomDaytime(ref random, _start, _end);
            var type = random.NextDouble() switch
            {
                < 0.35 => "demo_requested",
                < 0.6 => "free_trial_started",
                _ => "contact_request",
            };
            events.Add(new PlannedEvent(at, type, Form: type == "contact_request" ? "contact-us" : null));
        }

        if (lead.DecisionAt is { } decision)
        {
            Burst(lead, ref random, events, decision.UtcTicks);
        }

        events.RemoveAll(e => e.UtcTicks < _start || e.UtcTicks >= _end);
        events.Sort((a, b) => a.UtcTicks != b.UtcTicks ? a.UtcTicks.CompareTo(b.UtcTicks) : string.CompareOrdinal(a.Type, b.Type));
    }

    private void Emails(Lead lead, ref SeededRandom random, List<PlannedEvent> events)
    {
        var openChance = Math.Min(0.85, 0.06 + 0.17 * lead.Interest);
        var clickChance = Math.Min(0.6, 0.06 + 0.1 * lead.Interest);
        foreach (var send in calendar.Sends)
        {
            var sentAt = send.At.UtcTicks + random.Next(3_600) * TimeSpan.TicksPerSecond;
            if (!random.Chance(0.93))
            {
                continue;
            }

            if (lead.BadAddress)
            {
                events.Add(new PlannedEvent(sentAt + 30 * TimeSpan.TicksPerSecond, "email_bounce", Campaign: send.Campaign));
                return;
            }

            if (lead.Noise)
            {
                // Link scanners open and follow every link within seconds of delivery.
                events.Add(new PlannedEvent(sentAt + random.Between(2, 20) * TimeSpan.TicksPerSecond, "email_open", Campaign: send.Campaign));
                events.Add(new PlannedEvent(sentAt + random.Between(20, 60) * TimeSpan.TicksPerSecond, "email_click", Campaign: send.Campaign,
                    Url: Catalog.Site + random.Pick(Catalog.Pages)));
                continue;
            }

            if (random.Chance(openChance))
            {
                var openedAt = sentAt + (long)(-Math.Log(1 - random.NextDouble()) * 8 * TimeSpan.TicksPerHour);
                events.Add(new PlannedEvent(openedAt, "email_open", Campaign: send.Campaign));
                if (random.Chance(clickChance))
                {
                    var url = Catalog.Site + (random.Chance(0.1 + 0.3 * lead.Propensity) ? random.Pick(Catalog.PricingPages) : random.Pick(Catalog.Pages));
                    events.Add(new PlannedEvent(openedAt + random.Between(5, 300) * TimeSpan.TicksPerSecond, "email_click", Campaign: send.Campaign, Url: url));
                }

                if (random.Chance(0.004 * lead.Interest))
                {
                    events.Add(new PlannedEvent(openedAt + random.Between(60, 7_200) * TimeSpan.TicksPerSecond, "email_forward", Campaign: send.Campaign));
                }

                if (random.Chance(0.003 * lead.Interest))
                {
                    events.Add(new PlannedEvent(openedAt + random.Between(60, 7_200) * TimeSpan.TicksPerSecond, "email_reply", Campaign: send.Campaign));
                }
            }

            // The less someone cares, the likelier each email makes them leave the list.
            if (random.Chance(0.004 / (0.3 + lead.Interest)))
            {
                events.Add(new PlannedEvent(sentAt + random.Between(600, 86_400) * TimeSpan.TicksPerSecond, "unsubscribe", Campaign: send.Campaign));
                return;
            }
        }
    }

    private static void Session(Lead lead, ref SeededRandom random, List<PlannedEvent> events, long at, double propensity, int pricingViews)
    {
        var pages = 1 + random.Poisson(lead.Noise ? 1 : 2);
        events.Add(new PlannedEvent(at, "site_session", Pages: pages + pricingViews));
        var pricingChance = 0.03 + 0.2 * propensity;
        for (var i = 0; i < pages + pricingViews; i++)
        {
            at += random.Between(10, 240) * TimeSpan.TicksPerSecond;
            var page = i < pricingViews || random.Chance(pricingChance) ? random.Pick(Catalog.PricingPages) : random.Pick(Catalog.Pages);
            events.Add(new PlannedEvent(at, "page_view", Url: Catalog.Site + page));
        }
    }

    private static void Download(ref SeededRandom random, List<PlannedEvent> events, long at)
    {
        var asset = random.Pick(Catalog.Assets);
        events.Add(new PlannedEvent(at, "form_submit", Form: "content-download", Asset: asset));
        events.Add(new PlannedEvent(at + random.Between(2, 30) * TimeSpan.TicksPerSecond, "content_download", Asset: asset));
    }

    private void Webinars(Lead lead, ref SeededRandom random, List<PlannedEvent> events)
    {
        var registerChance = Math.Min(0.7, 0.02 * lead.Interest + 0.15 * lead.Propensity);
        foreach (var webinar in calendar.Webinars)
        {
            if (lead.Noise || !random.Chance(registerChance))
            {
                continue;
            }

            var registeredAt = webinar.At.UtcTicks - random.Between(3_600, 10 * 86_400) * TimeSpan.TicksPerSecond;
            events.Add(new PlannedEvent(registeredAt, "webinar_registration", Webinar: webinar.Name, Form: "event-registration"));
            if (random.Chance(0.45 + 0.3 * lead.Propensity))
            {
                events.Add(new PlannedEvent(webinar.At.UtcTicks + random.Between(0, 600) * TimeSpan.TicksPerSecond, "webinar_attended", Webinar: webinar.Name));
            }
        }
    }

    /// <summary>The evaluation before a decision: pricing pages, a demo, maybe a trial, replies, in the 3 to 21 days before it.</summary>
    private static void Burst(Lead lead, ref SeededRandom random, List<PlannedEvent> events, long decisionAt)
    {
        var burstStart = decisionAt - random.Between(3, 21) * TimeSpan.TicksPerDay;
        var sessions = random.Between(2, 5);
        for (var i = 0; i < sessions; i++)
        {
            Session(lead, ref random, events, RandomDaytime(ref random, burstStart, decisionAt), 0.5, pricingViews: random.Between(1, 3));
        }

        if (random.Chance(0.8))
        {
            var requestedAt = RandomDaytime(ref random, burstStart, decisionAt);
            events.Add(new PlannedEvent(requestedAt, "demo_requested", Form: "demo-request"));
            if (random.Chance(0.75))
            {
                events.Add(new PlannedEvent(Math.Min(decisionAt - TimeSpan.TicksPerHour, requestedAt + random.Between(1, 5) * TimeSpan.TicksPerDay), "demo_attended"));
            }
        }

        if (random.Chance(0.45))
        {
            events.Add(new PlannedEvent(RandomDaytime(ref random, burstStart, decisionAt), "free_trial_started"));
        }

        if (random.Chance(0.3))
        {
            events.Add(new PlannedEvent(RandomDaytime(ref random, burstStart, decisionAt), "contact_request", Form: "contact-us"));
        }

        if (random.Chance(0.5))
        {
            Download(ref random, events, RandomDaytime(ref random, burstStart, decisionAt));
        }

        var replies = random.Poisson(1.2);
        for (var i = 0; i < replies; i++)
        {
            events.Add(new PlannedEvent(RandomDaytime(ref random, burstStart, decisionAt), "email_reply", Campaign: "sales-follow-up"));
        }
    }

    /// <summary>A moment between two instants, pulled towards working hours (UTC 07:00 to 21:00).</summary>
    private static long RandomDaytime(ref SeededRandom random, long from, long to)
    {
        var at = from + (long)(random.NextDouble() * (to - from));
        var dayStart = at - at % TimeSpan.TicksPerDay;
        var working = dayStart + (7 * TimeSpan.TicksPerHour) + (long)(random.NextDouble() * 14 * TimeSpan.TicksPerHour);
        return working >= from && working < to ? working : at;
    }
}
