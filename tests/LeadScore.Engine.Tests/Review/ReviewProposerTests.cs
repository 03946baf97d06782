using System.Text.Json.Nodes;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Review;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests.Review;

public sealed class ReviewProposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private static readonly ReviewPeriod Period = new(Now.AddDays(-20), Now);

    // Opens earn most of the engagement points, demo requests almost none; "tier" says nothing. The
    // comment and the "owner" field test that the proposal keeps what it does not change.
    private const string Json = """
        {"key": "m", "name": "Mine", "target": "contact", "scale": 100, "encoding": "points",
         // kept as written
         "categories": [{"key": "fit", "dimension": "fit", "budget": 40}, {"key": "engagement", "dimension": "engagement", "budget": 60}],
         "rules": [
           {"key": "tier-one", "category": "fit", "points": 20, "when": {"field": "tier", "eq": "one"}},
           {"key": "opens", "category": "engagement", "points": 10, "per": "occurrence", "maxPoints": 40, "event": {"type": "email_open"}},
           {"key": "demo", "category": "engagement", "points": 2, "critical": true, "event": {"type": "demo_requested"}}],
         "thresholds": [{"key": "mql", "points": 40}, {"key": "sql", "points": 60}],
         "grades": [{"grade": "A", "min": 50}, {"grade": "B", "min": 0}]}
        """;

    private static readonly CompiledModel Compiled = CompiledModel.Compile(ScoringModelJson.Parse(Json).Model!);

    private static ReviewedLead Lead(int i, bool converted, string[] behaviours, string tier = "two", string? industry = null)
    {
        var fields = new Dictionary<string, FieldValue> { ["tier"] = FieldValue.FromText(tier) };
        if (industry is not null)
        {
            fields["industry"] = FieldValue.FromText(industry);
        }

        // Events just before the period, conversions spread across it: a score does not drift with time,
        // every event is recent (30 days) whenever a lead is judged, and the review's time split has
        // converters on both sides.
        var events = behaviours.Select((type, n) => new ActivityEvent($"l{i}-e{n}", type, Now.AddDays(-21 - n))).ToList();
        return new ReviewedLead(ScoringSubject.ForContact($"l{i:0000}", fields, events), converted ? Now.AddDays(-(i * 7 % 20)) : Now, converted);
    }

    /// <summary>
    /// 1200 leads, three times the same 400: everyone opens emails; demo requesters (in retail) convert at
    /// 60 %, the rest at 3 %; leads in fintech (which no rule scores) convert at 40 % without a demo; "tier" is
    /// noise. Enough converters in the period's newest third for the out-of-time check to see the gain.
    /// </summary>
    private static List<ReviewedLead> Leads()
    {
        var leads = new List<ReviewedLead>();
        for (var i = 0; i < 1200; i++)
        {
            var p = i % 400;
            var opens = Enumerable.Repeat("email_open", 1 + (p % 4)).ToArray();
            var tier = p % 2 == 0 ? "one" : "two";
            leads.Add(p switch
            {
                < 60 => Lead(i, converted: p < 36, [.. opens, "demo_requested"], tier, industry: "retail"),
                < 100 => Lead(i, converted: p < 76, opens, tier, industry: "fintech"),
                _ => Lead(i, converted: p % 33 == 0, opens, tier, industry: "retail"),
            });
        }

        return leads;
    }

    private static ModelReview Review(ProposalOptions? options = null) => ModelReview.Run(Compiled, Json, Period, Leads(), options);

    [Fact]
    public void PointsMoveToTheBehaviourThatConverts_AndTheProposalRanksBetter()
    {
        var review = Review();

        var proposal = review.Proposal.ShouldNotBeNull(review.ProposalRefused);
        var demo = proposal.Model.Rules.Single(r => r.Key == "demo");
        demo.Points.ShouldBeGreaterThan(10);
        demo.Critical.ShouldBeTrue("the proposal changes points, not what the authors starred");
        proposal.Backtest.Draft.Auc.ShouldBeGreaterThan(proposal.Backtest.Published.Auc + 0.1);
        review.Report.Rules.Single(r => r.Rule == "demo").SuggestedPoints.ShouldBe(demo.Points);
        proposal.Changes.ShouldContain(c => c.Kind == ChangeKind.Points && c.Subject == "demo" && c.Before == "2 points");
    }

    [Fact]
    public void AFieldValueCommonAmongLowScoreConverters_BecomesANewFitRule()
    {
        var review = Review();

        var proposal = review.Proposal!;
        var added = proposal.Model.Rules.Where(r => r.Key == "industry-fintech").ShouldHaveSingleItem();
        added.Category.ShouldBe("fit");
        added.Points.ShouldBeGreaterThan(0);
        added.Points.ShouldBeLessThanOrEqualTo(40, "no rule gets more than its category's budget");
        proposal.Changes.ShouldContain(c => c.Kind == ChangeKind.Added && c.Subject == "industry-fintech" && c.Why.Contains("low-score converters", StringComparison.Ordinal));
    }

    [Fact]
    public void TheProposalKeepsEverythingItDoesNotChange_AndStaysWithinTheBudgets()
    {
        var proposal = Review().Proposal!;

        var json = JsonNode.Parse(proposal.Json)!;
        ((string?)json["name"]).ShouldBe("Mine");
        json["categories"]!.ToJsonString().ShouldBe(JsonNode.Parse(Json, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!["categories"]!.ToJsonString());
        ScoringModelJson.Parse(proposal.Json).IsValid.ShouldBeTrue();
        foreach (var category in proposal.Model.Categories)
        {
            proposal.Model.Rules.Where(r => r.Category == category.Key).ShouldAllBe(r => Math.Abs(r.MaxMagnitude) <= category.Budget);
        }
    }

    [Fact]
    public void TheMqlThreshold_GoesWhereF1IsBest_OrWhereTheVolumeIsAsked()
    {
        var best = Review().Proposal!;
        var byVolume = Review(new ProposalOptions { MqlVolume = 150 }).Proposal!;

        var bestMql = best.Backtest.Draft;
        bestMql.Mqls.ShouldBeLessThan(best.Backtest.Published.Mqls, "everyone opens emails, so the published MQL takes nearly all");
        byVolume.Backtest.Draft.Mqls.ShouldBeInRange(120, 180);
        var f1 = 2 * bestMql.Precision * bestMql.Recall / (bestMql.Precision + bestMql.Recall);
        var volumeMql = byVolume.Backtest.Draft;
        f1.ShouldBeGreaterThanOrEqualTo(2 * volumeMql.Precision * volumeMql.Recall / (volumeMql.Precision + volumeMql.Recall) - 1e-9);
        var sql = best.Model.Thresholds.Single(t => t.Key == "sql");
        sql.Points.ShouldBeGreaterThan(best.Model.Thresholds.Single(t => t.Key == "mql").Points, "SQL stays above MQL");
    }

    [Fact]
    public void TooFewConverters_GiveNoProposal_AndSayHowToGetOne()
    {
        var leads = Leads().Select(l => l with { Converted = l.Converted && l.Id.CompareTo("l0010") < 0, JudgedAt = l.Converted && l.Id.CompareTo("l0010") < 0 ? l.JudgedAt : Now }).ToList();

        var review = ModelReview.Run(Compiled, Json, Period, leads);

        review.Proposal.ShouldBeNull();
        var refused = review.ProposalRefused.ShouldNotBeNull();
        refused.ShouldContain("it has 10 and 1190");
        refused.ShouldContain("--since 90d");
        review.Report.Rules.ShouldAllBe(r => r.SuggestedPoints == null);
    }

    [Fact]
    public void WhenTheMqlLineMoves_TheHigherThresholdsKeepTheirDistance_AndStayReachable()
    {
        // MQL set where only the fullest scores reach it: the proposal brings it down.
        var json = Json.Replace("{\"key\": \"mql\", \"points\": 40}, {\"key\": \"sql\", \"points\": 60}", "{\"key\": \"mql\", \"points\": 65}, {\"key\": \"sql\", \"points\": 75}", StringComparison.Ordinal);
        var review = ModelReview.Run(CompiledModel.Compile(ScoringModelJson.Parse(json).Model!), json, Period, Leads());

        var proposal = review.Proposal.ShouldNotBeNull(review.ProposalRefused);
        var mql = proposal.Model.Thresholds.Single(t => t.Key == "mql").Points;
        var sql = proposal.Model.Thresholds.Single(t => t.Key == "sql").Points;
        mql.ShouldBeLessThan(65);
        var reachable = proposal.Model.Categories.Sum(c => Math.Min(c.Budget, proposal.Model.Rules.Where(r => r.Category == c.Key && r.Points > 0).Sum(r => r.MaxMagnitude)));
        sql.ShouldBe(Math.Min(mql + 10, Math.Floor(reachable)), "SQL keeps its 10 points above MQL, unless the rules cannot reach that far");
        proposal.Warnings.ShouldNotContain(w => w.Code == DiagnosticCodes.UnreachableThreshold);
        proposal.Backtest.Lists.Select(l => l.Key).ShouldBe(["mql", "sql"], ignoreOrder: true);
    }

    [Fact]
    public void AThresholdTheProposedRulesCannotReach_ComesDownToWhatTheyAllow()
    {
        var json = Json.Replace("{\"key\": \"sql\", \"points\": 60}", "{\"key\": \"sql\", \"points\": 62}", StringComparison.Ordinal);
        var review = ModelReview.Run(CompiledModel.Compile(ScoringModelJson.Parse(json).Model!), json, Period, Leads());

        var proposal = review.Proposal.ShouldNotBeNull(review.ProposalRefused);
        proposal.Warnings.ShouldNotContain(w => w.Code == DiagnosticCodes.UnreachableThreshold);
        ScoringModelJson.Parse(proposal.Json).Warnings.ShouldNotContain(w => w.Code == DiagnosticCodes.UnreachableThreshold);
    }

    [Fact]
    public void ACriticalBehaviourTheDataDoesNotSupport_IsLoweredButNeverDropped()
    {
        // Opens say nothing once demos are counted, and the review drops them; starred critical, they stay.
        var json = Json.Replace("\"maxPoints\": 40, \"event\"", "\"maxPoints\": 40, \"critical\": true, \"event\"", StringComparison.Ordinal);
        var plain = Review().Proposal!;
        var review = ModelReview.Run(CompiledModel.Compile(ScoringModelJson.Parse(json).Model!), json, Period, Leads());

        plain.Changes.ShouldContain(c => c.Kind == ChangeKind.Removed && c.Subject == "opens");
        var proposal = review.Proposal.ShouldNotBeNull(review.ProposalRefused);
        proposal.Model.Rules.Single(r => r.Key == "opens").Points.ShouldBeGreaterThan(0);
        proposal.Changes.ShouldNotContain(c => c.Kind == ChangeKind.Removed);
        proposal.Changes.ShouldContain(c => c.Subject == "opens" && c.Why.Contains("critical behaviour is kept", StringComparison.Ordinal));
    }

    [Fact]
    public void APublishedRuleThatNeverFires_IsWarnedAbout()
    {
        var json = Json.Replace("\"type\": \"demo_requested\"", "\"type\": \"demo_requestd\"", StringComparison.Ordinal);
        var review = ModelReview.Run(CompiledModel.Compile(ScoringModelJson.Parse(json).Model!), json, Period, Leads());

        review.Warnings.ShouldContain(w => w.StartsWith("rule demo matched no lead in the period", StringComparison.Ordinal));
    }

    [Fact]
    public void ABacktestOfTheSameModel_MovesNobody()
    {
        var backtest = Backtest.Compare(Compiled, Compiled, Period, Leads());

        backtest.AucGain.ShouldBe(0);
        (backtest.MovedIn.Count, backtest.MovedOut.Count).ShouldBe((0, 0));
        backtest.Published.ShouldBe(backtest.Draft);
    }
}
