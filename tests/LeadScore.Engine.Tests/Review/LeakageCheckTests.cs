using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Review;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests.Review;

public sealed class LeakageCheckTests
{
    private static readonly CompiledModel Published = CompiledModel.Compile(ScoringModelJson.Parse(Funnels.Json).Model!);

    /// <summary>The demo funnel where sales tagged each lead after calling it: "won" for every converter, "switched off" for the rest.</summary>
    private static List<LeadTimeline> Tagged() => [.. Funnels.DemoConverts().Select((t, i) =>
    {
        var fields = t.Subject.Fields.ToDictionary(f => f.Key, f => f.Value);
        fields["callOutcome"] = FieldValue.FromText(t.ConvertedAt is not null ? "won" : i % 3 == 0 ? "switched off" : "no answer");
        return t with { Subject = ScoringSubject.ForContact(t.Subject.Id, fields, t.Subject.Events) };
    })];

    [Fact]
    public void AFieldWrittenAfterTheOutcome_IsFlagged_AndNoRuleIsProposedOnIt()
    {
        var review = ModelReview.Run(Published, Funnels.Json, Funnels.Quarter, Tagged());

        var leaky = review.LeakyFields.ShouldHaveSingleItem();
        leaky.Field.ShouldBe("callOutcome");
        leaky.Auc.ShouldBeGreaterThan(leaky.RestAuc);
        review.Warnings.ShouldContain(w => w.Contains("callOutcome", StringComparison.Ordinal));
        var proposed = (review.Proposal ?? review.Unconfirmed).ShouldNotBeNull();
        proposed.Model.Rules.ShouldAllBe(r => !LeakageCheck.FieldsTestedBy(r).Contains("callOutcome"));
        review.Report.LowScoreConverters.Traits.ShouldAllBe(t => t.Field != "callOutcome");
        review.Report.HighScoreNonConverters.Traits.ShouldAllBe(t => t.Field != "callOutcome");
    }

    [Fact]
    public void AnExcludedField_IsNeitherCheckedNorProposed()
    {
        var review = ModelReview.Run(Published, Funnels.Json, Funnels.Quarter, Tagged(), new ProposalOptions { ExcludedFields = ["callOutcome"] });

        review.LeakyFields.ShouldBeEmpty();
        var proposed = (review.Proposal ?? review.Unconfirmed).ShouldNotBeNull();
        proposed.Model.Rules.ShouldAllBe(r => !LeakageCheck.FieldsTestedBy(r).Contains("callOutcome"));
        proposed.Changes.ShouldAllBe(c => !c.Subject.Contains("calloutcome", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void FieldsThatAreOrdinaryEvidence_AreNotFlagged()
    {
        var judged = ScoreReview.Judge(Published, [.. Funnels.DemoConverts().Select(t => t.In(Funnels.Quarter)).OfType<ReviewedLead>()]);

        LeakageCheck.Check(Published.Model, judged).ShouldBeEmpty("tier and industry are noise; the demo rule ranks better than either");
    }
}
