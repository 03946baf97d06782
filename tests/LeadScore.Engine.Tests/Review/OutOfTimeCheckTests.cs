using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Review;

namespace LeadScore.Engine.Tests.Review;

public sealed class OutOfTimeCheckTests
{
    private static readonly CompiledModel Published = CompiledModel.Compile(ScoringModelJson.Parse(Funnels.Json).Model!);

    [Fact]
    public void ATrulyBetterModel_IsProposed_WithAGainAboveTheNoise()
    {
        var review = ModelReview.Run(Published, Funnels.Json, Funnels.Quarter, Funnels.DemoConverts());

        var proposal = review.Proposal.ShouldNotBeNull(review.ProposalRefused);
        var validation = review.Validation.ShouldNotBeNull();
        validation.Confirmed.ShouldBeTrue(validation.Verdict);
        validation.Folds.ShouldContain(f => f.Kind == "time split");
        validation.Folds.Count(f => f.Kind == "rolling").ShouldBe(3, "three earlier quarters of history");
        validation.Gain.ShouldNotBeNull().Low.ShouldBeGreaterThan(0);
        proposal.Model.Rules.Single(r => r.Key == "demo").Points.ShouldBeGreaterThan(10);
    }

    [Fact]
    public void ANoiseOnlyPeriod_KeepsThePublishedModel_AndShowsWhatItWouldChange()
    {
        var review = ModelReview.Run(Published, Funnels.Json, Funnels.Quarter, Funnels.Noise());

        review.Proposal.ShouldBeNull("in sample the noise looks like evidence; out of time it is not");
        review.ProposalRefused.ShouldNotBeNull().ShouldStartWith("keep the published model");
        var gain = review.Validation.ShouldNotBeNull().Gain.ShouldNotBeNull();
        gain.Low.ShouldBeLessThanOrEqualTo(0);
        review.Unconfirmed.ShouldNotBeNull().ChangesAnything.ShouldBeTrue();
        review.Report.Rules.ShouldAllBe(r => r.SuggestedPoints == null);
    }

    [Fact]
    public void APeriodWithoutHistoryBehindIt_IsJudgedOnItsOwnNewestThird()
    {
        var quarter = Funnels.DemoConverts().Select(t => t.In(Funnels.Quarter)).OfType<ReviewedLead>().ToList();

        var review = ModelReview.Run(Published, Funnels.Json, Funnels.Quarter, quarter);

        var validation = review.Validation.ShouldNotBeNull();
        validation.Folds.ShouldHaveSingleItem().Kind.ShouldBe("time split");
        validation.Folds[0].Judged.From.ShouldBe(Funnels.Quarter.From.AddDays(60));
        review.Proposal.ShouldNotBeNull(review.ProposalRefused);
    }

    [Fact]
    public void TheSameData_GivesTheSameInterval()
    {
        var first = ModelReview.Run(Published, Funnels.Json, Funnels.Quarter, Funnels.Noise()).Validation!;
        var second = ModelReview.Run(Published, Funnels.Json, Funnels.Quarter, Funnels.Noise()).Validation!;

        second.Gain.ShouldBe(first.Gain);
    }
}
