using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Benchmarks;

/// <summary>
/// Contacts that look like a B2B SaaS marketing database: every standard field filled in with
/// plausible skew, and a fixed number of events of mixed types spread over the 90 days before
/// <see cref="AsOf"/>. A seeded generator makes every run score the same data.
/// </summary>
internal static class SyntheticContacts
{
    public const int DefaultSeed = 20261130;

    public static readonly DateTimeOffset AsOf = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan History = TimeSpan.FromDays(90);

    private static readonly string[] FirstNames = ["Ada", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kofi", "Lena", "Mia", "Nils", "Omar", "Priya"];
    private static readonly string[] LastNames = ["Smith", "Garcia", "Nguyen", "Müller", "Rossi", "Kowalski", "Okafor", "Tanaka", "Brown", "Silva", "Dubois", "Jansen"];
    private static readonly string[] Companies = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Wonka"];
    private static readonly (string Value, int Weight)[] Industries =
        [("software", 18), ("saas", 12), ("fintech", 6), ("consulting", 8), ("media", 5), ("telecom", 4), ("retail", 8),
         ("manufacturing", 12), ("healthcare", 10), ("education", 9), ("government", 8)];
    private static readonly (string Value, int Weight)[] Countries =
        [("US", 38), ("CA", 6), ("GB", 10), ("DE", 8), ("FR", 6), ("NL", 3), ("IN", 10), ("BR", 6), ("AU", 5), ("JP", 8)];
    private static readonly (string Title, string Seniority, int Weight)[] Titles =
        [("VP Engineering", "executive", 4), ("Chief Technology Officer", "executive", 2), ("Head of IT", "executive", 4),
         ("Director of Operations", "senior", 5), ("Sales Director", "senior", 4), ("Engineering Manager", "senior", 8),
         ("Product Manager", "mid", 10), ("Marketing Manager", "mid", 8), ("Office Manager", "mid", 4),
         ("Software Engineer", "mid", 18), ("Data Scientist", "mid", 6), ("Analyst", "junior", 12),
         ("Consultant", "mid", 10), ("Student", "junior", 3), ("Intern", "junior", 2)];
    private static readonly string[] Departments = ["engineering", "it", "operations", "marketing", "sales", "finance", "hr", "product"];
    private static readonly string[] LeadSources = ["referral", "partner", "webinar", "organic", "paid-search", "paid-social", "event", "outbound"];
    private static readonly string[] Stages = ["subscriber", "lead", "mql", "sql", "opportunity"];
    private static readonly string[] Owners = ["alice", "bob", "carol", "dave", "erin"];
    private static readonly string[] Cities = ["Springfield", "Riverside", "Franklin", "Greenville", "Bristol", "Clinton", "Fairview", "Salem"];
    private static readonly string[] FreeMail = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"];

    private static readonly (string Type, int Weight)[] EventTypes =
        [("email_open", 28), ("email_click", 10), ("page_view", 38), ("content_download", 6), ("webinar_registration", 4),
         ("webinar_attended", 3), ("form_submit", 4), ("demo_requested", 2), ("trial_started", 2), ("unsubscribe", 1), ("email_bounce", 2)];
    private static readonly string[] Pages =
        ["/", "/product", "/pricing", "/pricing/enterprise", "/customers", "/about", "/careers", "/blog/lead-scoring-101",
         "/blog/fit-vs-engagement", "/blog/decay", "/docs/getting-started", "/docs/api", "/docs/models", "/integrations"];
    private static readonly string[] Forms = ["contact-sales", "newsletter", "ebook", "event-signup", "contact-sales"];
    private static readonly string[] Campaigns = ["nurture-1", "nurture-2", "product-news", "webinar-invite", "renewal"];

    /// <summary>Builds <paramref name="count"/> contacts with <paramref name="eventsPerContact"/> events each.</summary>
    public static ScoringSubject[] Generate(int count, int eventsPerContact, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(eventsPerContact);
        var random = new Random(seed);
        var eventNumber = 0;
        var subjects = new ScoringSubject[count];
        for (var i = 0; i < count; i++)
        {
            var id = $"c{i + 1}";
            var fields = Fields(random);
            var events = new ActivityEvent[eventsPerContact];
            for (var e = 0; e < events.Length; e++)
            {
                events[e] = Event(random, $"e{++eventNumber}");
            }

            // Oldest first: the order events happen in, and the order a store reads them back in.
            Array.Sort(events, (a, b) => a.OccurredAtUtcTicks.CompareTo(b.OccurredAtUtcTicks));
            subjects[i] = ScoringSubject.ForContact(id, fields, events);
        }

        return subjects;
    }

    private static Dictionary<string, FieldValue> Fields(Random random)
    {
        var first = Pick(random, FirstNames);
        var last = Pick(random, LastNames);
        var company = Pick(random, Companies);
        var (title, seniority, _) = PickWeighted(random, Titles, t => t.Weight);
        var roll = random.Next(100);
        var domain = roll switch
        {
            < 15 => Pick(random, FreeMail),
            < 16 => "rival.example",
            _ => $"{company.ToLowerInvariant()}.example",
        };

        // Company size is heavy-tailed: most companies are small, a few are very large.
        var employees = (int)Math.Round(Math.Exp(random.NextDouble() * Math.Log(50_000)));
        var fields = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase)
        {
            ["email"] = FieldValue.FromText($"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@{domain}"),
            ["firstName"] = FieldValue.FromText(first),
            ["lastName"] = FieldValue.FromText(last),
            ["jobTitle"] = FieldValue.FromText(title),
            ["seniority"] = FieldValue.FromText(seniority),
            ["department"] = FieldValue.FromText(Pick(random, Departments)),
            ["company"] = FieldValue.FromText(company),
            ["industry"] = FieldValue.FromText(PickWeighted(random, Industries, i => i.Weight).Value),
            ["employees"] = FieldValue.FromNumber(employees),
            ["annualRevenue"] = FieldValue.FromNumber(Math.Round(employees * (50_000 + (random.NextDouble() * 250_000)))),
            ["country"] = FieldValue.FromText(PickWeighted(random, Countries, c => c.Weight).Value),
            ["region"] = FieldValue.FromText($"R{random.Next(1, 9)}"),
            ["city"] = FieldValue.FromText(Pick(random, Cities)),
            ["age"] = FieldValue.FromNumber(random.Next(21, 66)),
            ["leadSource"] = FieldValue.FromText(Pick(random, LeadSources)),
            ["lifecycleStage"] = FieldValue.FromText(Pick(random, Stages)),
            ["owner"] = FieldValue.FromText(Pick(random, Owners)),
            ["createdAt"] = FieldValue.FromDate(AsOf - TimeSpan.FromDays(random.Next(1, 400))),
        };

        // Not every contact has told us their budget or timeframe.
        if (random.Next(100) >= 30)
        {
            fields["budget"] = FieldValue.FromNumber(random.Next(1, 100) * 5_000);
        }

        if (random.Next(100) >= 20)
        {
            fields["purchaseTimeframeDays"] = FieldValue.FromNumber(random.Next(7, 366));
        }

        return fields;
    }

    private static ActivityEvent Event(Random random, string id)
    {
        var type = PickWeighted(random, EventTypes, t => t.Weight).Type;
        var occurredAt = AsOf - TimeSpan.FromTicks((long)(random.NextDouble() * History.Ticks));
        var properties = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
        switch (type)
        {
            case "page_view":
                properties["url"] = FieldValue.FromText(Pick(random, Pages));
                properties["durationSeconds"] = FieldValue.FromNumber(random.Next(1, 600));
                break;
            case "email_open" or "email_click" or "unsubscribe" or "email_bounce":
                properties["campaign"] = FieldValue.FromText(Pick(random, Campaigns));
                break;
            case "form_submit":
                properties["form"] = FieldValue.FromText(Pick(random, Forms));
                break;
            case "content_download" or "webinar_registration" or "webinar_attended":
                properties["asset"] = FieldValue.FromText($"asset-{random.Next(1, 20)}");
                break;
        }

        return new ActivityEvent(id, type, occurredAt, properties);
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static T PickWeighted<T>(Random random, T[] items, Func<T, int> weight)
    {
        var total = 0;
        foreach (var item in items)
        {
            total += weight(item);
        }

        var roll = random.Next(total);
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll < 0)
            {
                return item;
            }
        }

        return items[^1];
    }
}
