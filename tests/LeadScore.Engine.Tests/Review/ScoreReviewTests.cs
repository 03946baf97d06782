using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Review;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests.Review;

public sealed class ScoreReviewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    // "vp" is worth 40 points and MQL is at 30: VPs are MQLs, grade A; the rest score 0, grade C.
    private static readonly Model.ScoringModel Model = ScoringModelJson.Parse("""
        {"key": "m", "target": "contact", "scale": 100,
         "categories": [{"key": "fit", "dimension": "fit", "budget": 100}],
         "rules": [{"key": "vp", "category": "fit", "points": 40, "when": {"field": "title", "eq": "VP"}},
                   {"key": "intern", "category": "fit", "points": 10, "when": {"field": "title", "eq": "Intern"}}],
         "thresholds": [{"key": "mql", "points": 30}],
         "grades": [{"grade": "A", "min": 30}, {"grade": "C", "min": 0}]}
        """).Model!;

    private static readonly CompiledModel Compiled = CompiledModel.Compile(Model);

    private static readonly ReviewPeriod Period = new(Now.AddDays(-30), Now);

    private static ReviewedLead Lead(string id, string title, bool converted, Dictionary<string, FieldValue>? fields = null, string[]? behaviours = null)
    {
        fields ??= [];
        fields["title"] = FieldValue.FromText(title);
        var events = (behaviours ?? []).Select((type, i) => new ActivityEvent($"{id}-e{i}", type, Now.AddDays(-3))).ToList();
        return new ReviewedLead(ScoringSubject.ForContact(id, fields, events), Now, converted);
    }

    /// <summary>10 VPs of whom 6 convert, 10 analysts of whom 1 converts, 10 interns of whom none does.</summary>
    private static List<ReviewedLead> Leads() =>
    [
        .. Enumerable.Range(0, 10).Select(i => Lead($"vp{i}", "VP", i < 6)),
        .. Enumerable.Range(0, 10).Select(i => Lead($"an{i}", "Analyst", i < 1)),
        .. Enumerable.Range(0, 10).Select(i => Lead($"in{i}", "Intern", false)),
    ];

    [Fact]
    public void Thresholds_GivePrecisionRecallAndVolume()
    {
        var report = ScoreReview.Review(Compiled, Period, Leads());

        report.Converted.ShouldBe(7);
        var mql = report.Thresholds.ShouldHaveSingleItem();
        (mql.Key, mql.Volume, mql.Converted).ShouldBe(("mql", 10, 6));
        mql.Precision.ShouldBe(0.6);
        mql.Recall.ShouldBe(6 / 7.0, 1e-9);
    }

    [Fact]
    public void Health_ComparesConvertersWithTheRestAndRanksThemByPoints()
    {
        var report = ScoreReview.Review(Compiled, Period, Leads());

        report.Health.MeanPointsConverted.ShouldBe((6 * 40 + 0) / 7.0, 1e-9);
        report.Health.MeanPointsNotConverted.ShouldBe((4 * 40 + 9 * 0 + 10 * 10) / 23.0, 1e-9);
        // Converters: 6 at 40, 1 at 0. Others: 4 at 40, 10 at 10, 9 at 0.
        // P(converter above) = (6 x 19 + 6 x 4 x 0.5 + 1 x 9 x 0.5) / (7 x 23).
        report.Health.Auc.ShouldBe((6 * 19 + 6 * 4 * 0.5 + 1 * 9 * 0.5) / (7 * 23.0), 1e-9);
        report.Health.Verdict.ShouldStartWith("very good"); // 0.81
    }

    [Fact]
    public void Rules_ShowHowOftenTheyFireAndTheirLift()
    {
        var report = ScoreReview.Review(Compiled, Period, Leads());

        var vp = report.Rules.Single(r => r.Rule == "vp");
        (vp.Fires, vp.RateWhenFires, vp.RateWhenNot).ShouldBe((10, 0.6, 0.05));
        vp.Lift!.Value.ShouldBe(12, 1e-9);
        var intern = report.Rules.Single(r => r.Rule == "intern");
        (intern.Fires, intern.RateWhenFires).ShouldBe((10, 0.0));
        intern.Lift.ShouldBe(0);
    }

    [Fact]
    public void GradesAndDeciles_ShowWhereTheConvertersAre()
    {
        var report = ScoreReview.Review(Compiled, Period, Leads());

        report.Grades.Select(g => (g.Grade, g.Leads, g.Converted)).ShouldBe([("A", 10, 6), ("C", 20, 1)]);
        report.Deciles.Length.ShouldBe(10);
        report.Deciles.Sum(d => d.Leads).ShouldBe(30);
        report.Deciles[0].MinPoints.ShouldBe(40);
        report.Deciles.Take(3).Sum(d => d.Converted).ShouldBe(6, "the top three deciles are the ten VPs");
    }

    [Fact]
    public void AModelThatRewardsTheWrongLeads_IsCalledInverted()
    {
        List<ReviewedLead> leads = [.. Enumerable.Range(0, 10).Select(i => Lead($"in{i}", "Intern", false)), .. Enumerable.Range(0, 10).Select(i => Lead($"an{i}", "Analyst", true))];

        var report = ScoreReview.Review(Compiled, Period, leads);

        report.Health.Auc.ShouldBe(0);
        report.Health.Verdict.ShouldStartWith("inverted");
    }

    [Fact]
    public void LowScoreConverters_ShowTheTraitsTheModelMisses_AsCandidateRules()
    {
        // Analysts who downloaded content convert, and the model gives them nothing; an industry field and a name say nothing.
        var leads = new List<ReviewedLead>();
        for (var i = 0; i < 40; i++)
        {
            leads.Add(Lead($"an{i}", "Analyst", converted: i < 8,
                new Dictionary<string, FieldValue> { ["industry"] = FieldValue.FromText(i % 2 == 0 ? "saas" : "retail"), ["name"] = FieldValue.FromText($"Person {i}") },
                i < 8 ? ["content_download", "email_open"] : ["email_open"]));
        }

        leads.AddRange(Enumerable.Range(0, 10).Select(i => Lead($"vp{i}", "VP", converted: i < 2, behaviours: ["email_open"])));

        var report = ScoreReview.Review(Compiled, Period, leads);

        var low = report.LowScoreConverters;
        (low.Threshold, low.Count).ShouldBe(("mql", 8));
        low.Ids.ShouldBe(Enumerable.Range(0, 8).Select(i => $"an{i}").Order(StringComparer.Ordinal));
        var top = low.Traits[0];
        (top.Trait, top.Behaviour, top.Count).ShouldBe(("did content_download in the last 30 days", "content_download", 8));
        top.Lift.ShouldBe(1 / (8 / 50.0), 1e-9);
        low.Traits.ShouldNotContain(t => t.Field == "name", "a name is who a person is, not a trait");
        low.Traits.ShouldNotContain(t => t.Behaviour == "email_open", "everyone opens emails: no lift");

        var high = report.HighScoreNonConverters;
        high.Count.ShouldBe(8);
        high.Ids.ShouldAllBe(id => id.StartsWith("vp", StringComparison.Ordinal));
    }
}
