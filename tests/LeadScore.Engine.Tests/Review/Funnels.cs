using LeadScore.Engine.Review;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests.Review;

/// <summary>Synthetic lead timelines over 400 days for the out-of-time tests, from a seeded source.</summary>
internal static class Funnels
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The last 90 days, so the rolling backtest has three earlier periods behind it.</summary>
    public static readonly ReviewPeriod Quarter = new(Now.AddDays(-90), Now);

    // Everyone opens emails and most open many; a demo is worth 2 points. "tier" is noise.
    public const string Json = """
        {"key": "m", "name": "Mine", "target": "contact", "scale": 100, "encoding": "points",
         "categories": [{"key": "fit", "dimension": "fit", "budget": 40}, {"key": "engagement", "dimension": "engagement", "budget": 60}],
         "rules": [
           {"key": "tier-one", "category": "fit", "points": 20, "when": {"field": "tier", "eq": "one"}},
           {"key": "opens", "category": "engagement", "points": 10, "per": "occurrence", "maxPoints": 40, "event": {"type": "email_open"}},
           {"key": "demo", "category": "engagement", "points": 2, "critical": true, "event": {"type": "demo_requested"}}],
         "thresholds": [{"key": "mql", "points": 40}, {"key": "sql", "points": 60}],
         "grades": [{"grade": "A", "min": 50}, {"grade": "B", "min": 0}]}
        """;

    /// <summary>
    /// Demo requesters (a quarter of the leads, requesting at any time) convert 10 days after their
    /// request 70% of the time; the rest convert now and then, at 3%. Opens say nothing.
    /// </summary>
    public static List<LeadTimeline> DemoConverts(int leads = 2000, int seed = 1) => Make(leads, seed, (random, lead) =>
    {
        if (random.NextDouble() < 0.25)
        {
            var demo = Now.AddDays(-400 * random.NextDouble());
            lead.Events.Add(new ActivityEvent($"{lead.Id}-demo", "demo_requested", demo));
            lead.ConvertedAt = random.NextDouble() < 0.7 && demo.AddDays(10) <= Now ? demo.AddDays(10) : null;
        }
        else if (random.NextDouble() < 0.03)
        {
            lead.ConvertedAt = Now.AddDays(-400 * random.NextDouble());
        }
    });

    /// <summary>
    /// Nothing predicts: a fifth of the leads convert at a random time, whatever they did. Demos and opens
    /// all happen before the history, so no score drifts with time.
    /// </summary>
    public static List<LeadTimeline> Noise(int leads = 2000, int seed = 2) => Make(leads, seed, (random, lead) =>
    {
        if (random.NextDouble() < 0.25)
        {
            lead.Events.Add(new ActivityEvent($"{lead.Id}-demo", "demo_requested", Now.AddDays(-399)));
        }

        lead.ConvertedAt = random.NextDouble() < 0.2 ? Now.AddDays(-390 * random.NextDouble()) : null;
    });

    private sealed class Draft(string id)
    {
        public string Id { get; } = id;

        public Dictionary<string, FieldValue> Fields { get; } = [];

        public List<ActivityEvent> Events { get; } = [];

        public DateTimeOffset? ConvertedAt { get; set; }
    }

    private static List<LeadTimeline> Make(int leads, int seed, Action<Random, Draft> behave)
    {
        var random = new Random(seed);
        var made = new List<LeadTimeline>();
        for (var i = 0; i < leads; i++)
        {
            var lead = new Draft($"l{i:0000}");
            lead.Fields["tier"] = FieldValue.FromText(random.NextDouble() < 0.5 ? "one" : "two");
            lead.Fields["industry"] = FieldValue.FromText(new[] { "retail", "saas", "fintech" }[random.Next(3)]);
            for (var n = random.Next(1, 5); n > 0; n--)
            {
                lead.Events.Add(new ActivityEvent($"{lead.Id}-open{n}", "email_open", Now.AddDays(-400 + n)));
            }

            behave(random, lead);
            made.Add(new LeadTimeline(ScoringSubject.ForContact(lead.Id, lead.Fields, [.. lead.Events.OrderBy(e => e.OccurredAt)]), Now.AddDays(-401), lead.ConvertedAt));
        }

        return made;
    }
}
