using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Tests.Scoring;

/// <summary>Properties that hold for any model and any lead: caps, explanations, composite encoding, disqualification.</summary>
public sealed class ScoringPropertyTests
{
    private static readonly string[] EventTypes = ["open", "visit", "demo"];

    /// <summary>One generated rule: a field rule that always holds, or a behaviour with optional window and decay.</summary>
    public sealed record RuleCase(string Category, double Points, string Kind, string EventType, double? MaxPoints, string? Within, string? Decay)
    {
        public string ToJson(int index)
        {
            var points = Points.ToString(CultureInfo.InvariantCulture);
            var head = $$"""{"key": "r{{index}}", "category": "{{Category}}", "points": {{points}}""";
            if (Kind == "field")
            {
                return head + """, "when": {"field": "email", "exists": true}}""";
            }

            var within = Within is null ? string.Empty : $", \"within\": \"{Within}\"";
            var behaviour = $$$""", "event": {"type": "{{{EventType}}}"{{{within}}}}""";
            var per = Kind == "occurrence" ? ", \"per\": \"occurrence\"" : string.Empty;
            var max = MaxPoints is { } m ? $", \"maxPoints\": {m.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
            var decay = Decay ?? string.Empty;
            return head + behaviour + per + max + decay + "}";
        }
    }

    public sealed record EventCase(string Type, double DaysAgo);

    /// <summary>A manual adjustment; one that expired before the scoring time must not count.</summary>
    public sealed record AdjustmentCase(string Category, double Points, double? ExpiresInDays);

    public sealed record ScoringCase(int FitBudget, int EngagementBudget, RuleCase[] Rules, EventCase[] Events, AdjustmentCase[] Adjustments)
    {
        public string ModelJson(string more = "", string encoding = "points")
        {
            var categories = $$$"""
                [{"key": "fit", "dimension": "fit", "budget": {{{FitBudget}}}},
                 {"key": "engagement", "dimension": "engagement", "budget": {{{EngagementBudget}}}}]
                """;
            return Some.ModelJson(string.Join(",", Rules.Select((r, i) => r.ToJson(i))), more, categories, encoding);
        }

        public ScoringSubject Lead(string email = "ann@acme.example") =>
            ScoringSubject.ForContact("c1", Some.Fields(("email", email)), [.. Events.Select(e => Some.Event(e.Type, e.DaysAgo))],
                [.. Adjustments.Select(a => new ScoreAdjustment(a.Category, a.Points, "by hand", a.ExpiresInDays is { } d ? Some.Now.AddDays(d) : null))]);
    }

    private static readonly Gen<RuleCase> Rules =
        from category in Gen.Elements("fit", "engagement")
        from points in Gen.Choose(-60, 80).Select(i => i / 2.0)
        from kind in Gen.Elements("field", "once", "occurrence")
        from type in Gen.Elements(EventTypes)
        from max in Gen.Choose(0, 40).Select(m => m == 0 || kind != "occurrence" ? (double?)null : m)
        from within in Gen.Elements<string?>(null, "12h", "10d", "2w")
        from decay in Gen.Elements<string?>(null, """, "decay": {"halfLife": "7d"}""", """, "decay": {"expiresAfter": "20d"}""")
        select new RuleCase(category, points, kind, type, max, kind == "field" ? null : within, kind == "field" ? null : decay);

    private static readonly Gen<EventCase> Events =
        from type in Gen.Elements(EventTypes)
        from hours in Gen.Choose(-72, 60 * 24)
        select new EventCase(type, hours / 24.0);

    private static readonly Gen<AdjustmentCase> Adjustments =
        from category in Gen.Elements("fit", "engagement", "other-model")
        from points in Gen.Choose(-40, 40)
        from expires in Gen.Elements<double?>(null, -1, 1)
        select new AdjustmentCase(category, points, expires);

    private static readonly Arbitrary<ScoringCase> Cases =
        (from fit in Gen.Choose(0, 60)
         from engagement in Gen.Choose(0, 60)
         from rules in Gen.Choose(1, 8).SelectMany(n => Rules.ArrayOf(n))
         from events in Gen.Choose(0, 12).SelectMany(n => Events.ArrayOf(n))
         from adjustments in Gen.Frequency((3, Gen.Constant(Array.Empty<AdjustmentCase>())), (1, Gen.Choose(1, 3).SelectMany(n => Adjustments.ArrayOf(n))))
         select new ScoringCase(fit, engagement, rules, events, adjustments))
        .ToArbitrary();

    private static ScoreCard Score(ScoringCase c, string more = "", string encoding = "points", string email = "ann@acme.example") =>
        Some.Compile(c.ModelJson(more, encoding)).Score(c.Lead(email));

    [Fact]
    public void Category_IsNeverAboveItsBudgetNorBelowZero()
    {
        Prop.ForAll(Cases, c => Score(c).Categories.All(category => category.Points >= 0 && category.Points <= category.Budget))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Explanation_RuleAndAdjustmentPointsAddUpToEachCategoryBeforeCapping()
    {
        Prop.ForAll(Cases, c =>
            {
                var card = Score(c);
                return card.Categories.All(category =>
                    category.Raw == card.Adjustments.Where(a => a.Category == category.Key).Aggregate(
                        card.Rules.Where(r => r.Category == category.Key).Aggregate(0.0, (sum, r) => sum + r.Points),
                        (sum, a) => sum + a.Points));
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Category_IsItsRawSumClampedToZeroAndTheBudget()
    {
        Prop.ForAll(Cases, c => Score(c).Categories.All(category => category.Points == Math.Clamp(category.Raw, 0, category.Budget)))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Points_AreTheRoundedSumOfTheCappedCategoriesUpToTheScale()
    {
        Prop.ForAll(Cases, c =>
            {
                var card = Score(c);
                var sum = card.Categories.Aggregate(0.0, (total, category) => total + category.Points);
                return card.Points == Math.Min((int)Math.Round(sum, MidpointRounding.AwayFromZero), 100);
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Explanation_ListsExactlyTheActiveAdjustmentsOfTheModelsCategories()
    {
        Prop.ForAll(Cases, c =>
                Score(c).Adjustments.Length == c.Adjustments.Count(a => a.Category != "other-model" && a.ExpiresInDays is null or > 0))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void OccurrenceRule_NeverExceedsItsMaxPoints()
    {
        Prop.ForAll(Cases, c =>
            {
                var card = Score(c);
                return c.Rules.Select((rule, i) => (rule, i)).Where(p => p.rule.MaxPoints is not null)
                    .All(p => Math.Abs(card.PointsOf($"r{p.i}")) <= p.rule.MaxPoints!.Value);
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void CompositeScore_DecodesToTheCardsSegmentRequirementsAndPoints()
    {
        var composite =
            from c in Cases.Generator
            from segment in Gen.Choose(0, 9)
            from requirements in Gen.Choose(0, 9)
            from met in Gen.Choose(0, 9)
            select (Case: c, Segment: segment, Requirements: requirements, Met: Math.Min(met, requirements));

        Prop.ForAll(composite.ToArbitrary(), x =>
            {
                var more = $$$"""
                    "segment": [{"digit": {{{x.Segment}}}, "when": {"field": "email", "exists": true}}],
                    "requirements": [{{{string.Join(",", Enumerable.Range(0, x.Requirements).Select(i => $$$"""{"key": "q{{{i}}}", "when": {"field": "q{{{i}}}", "exists": true}}"""))}}}]
                    """;
                var model = Some.Compile(x.Case.ModelJson(more, encoding: "composite"));
                var lead = ScoringSubject.ForContact("c1",
                    Some.Fields([("email", "ann@acme.example"), .. Enumerable.Range(0, x.Met).Select(i => ($"q{i}", (object)"yes"))]),
                    [.. x.Case.Events.Select(e => Some.Event(e.Type, e.DaysAgo))]);

                var card = model.Score(lead);

                return CompositeScore.Decode(card.Score) == (x.Segment, x.Met, Math.Min(card.Points, 99))
                    && card.Segment == x.Segment && card.RequirementsMet == x.Met;
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void DisqualifiedLead_AlwaysHasZeroPointsAndScore()
    {
        const string more = """
             "disqualifiers": [{"key": "competitor", "when": {"field": "email", "endsWith": "@rival.example"}}],
             "segment": [{"digit": 3, "when": {"field": "email", "exists": true}}],
             "thresholds": [{"key": "any", "points": 0}],
             "grades": [{"grade": "D", "min": 0}]
            """;

        Prop.ForAll(Cases, c =>
            {
                var card = Score(c, more, encoding: "composite", email: "eve@rival.example");
                return card.Points == 0 && card.Score == 0 && card.DisqualifiedBy == "competitor"
                    && card.Grade is null && card.Thresholds.IsEmpty && !card.Qualified;
            })
            .QuickCheckThrowOnFailure();
    }
}
