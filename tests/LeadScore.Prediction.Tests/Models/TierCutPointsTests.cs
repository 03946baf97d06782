using LeadScore.Engine.Scoring;
using LeadScore.Prediction.Models;

namespace LeadScore.Prediction.Tests.Models;

public sealed class TierCutPointsTests
{
    // Quartiles as a low base rate gives them: the very high tier starts inside the 7 % a salesperson sees.
    private static readonly TierCutPoints Cuts = new(Medium: 0.012, High: 0.031, VeryHigh: 0.0725);

    [Fact]
    public void AtQuantiles_MostLeadsAtTheBottomPercent_AreLowTogether_AndNoTierHoldsMoreThanItsShare()
    {
        // As the demo trains: 70 % of leads under 1 % (shown at 1 %), the rest spread from 2 % to 31 %.
        var probabilities = Enumerable.Range(0, 700).Select(i => 0.002 + (i * 0.00001))
            .Concat(Enumerable.Range(0, 300).Select(i => 0.02 + (i * 0.001))).ToArray();

        var cuts = TierCutPoints.AtQuantiles(probabilities, 0.25, 0.5, 0.75);
        var tiers = probabilities.Select(p => cuts.TierOf(Math.Max(p, 0.01))).ToArray();

        tiers.Take(700).ShouldAllBe(t => t == PriorityTier.Low, "leads shown at 1 % are the bottom, not the top half");
        tiers.Count(t => t == PriorityTier.VeryHigh).ShouldBeLessThanOrEqualTo(250);
        tiers.Count(t => t >= PriorityTier.High).ShouldBeLessThanOrEqualTo(500);
        tiers.Count(t => t == PriorityTier.VeryHigh).ShouldBeGreaterThan(200, "distinct percents above the ties still fill the top quarter");
        cuts.Meaning(PriorityTier.Low).ShouldBe("bottom 70% of leads (below 2%)", "the meaning says the share the tier really held");
        cuts.Meaning(PriorityTier.VeryHigh).ShouldBe("top quarter of leads (8% or more)");
    }

    [Fact]
    public void AtQuantiles_DistinctPercents_CutAtTheQuantiles()
    {
        var probabilities = Enumerable.Range(1, 100).Select(i => i / 100.0).ToArray();

        var cuts = TierCutPoints.AtQuantiles(probabilities, 0.25, 0.5, 0.75);

        (TierCutPoints.Percent(cuts.Medium), TierCutPoints.Percent(cuts.High), TierCutPoints.Percent(cuts.VeryHigh)).ShouldBe((26, 51, 76));
    }

    [Theory]
    [InlineData(0.071, 0.074)]
    [InlineData(0.0601, 0.0649)]
    [InlineData(0.0149, 0.0051)]
    public void TierOf_TwoLeadsShownAtTheSamePercent_ShareATier(double one, double other)
    {
        TierCutPoints.Percent(one).ShouldBe(TierCutPoints.Percent(other));

        Cuts.TierOf(one).ShouldBe(Cuts.TierOf(other));
    }

    [Theory]
    [InlineData(0.0749, PriorityTier.VeryHigh)]
    [InlineData(0.0649, PriorityTier.High)]
    [InlineData(0.031, PriorityTier.High)]
    [InlineData(0.0149, PriorityTier.Medium)]
    [InlineData(0.0049, PriorityTier.Low)]
    public void TierOf_ComparesTheShownPercentWithTheCutsShownPercent(double probability, PriorityTier tier) =>
        Cuts.TierOf(probability).ShouldBe(tier);

    [Theory]
    [InlineData(0.25, 0.5, 0.75, PriorityTier.VeryHigh, "top quarter of leads (7% or more)")]
    [InlineData(0.25, 0.5, 0.75, PriorityTier.High, "top 25-50% of leads (3% to 6%)")]
    [InlineData(0.25, 0.5, 0.75, PriorityTier.Medium, "top 50-75% of leads (1% to 2%)")]
    [InlineData(0.25, 0.5, 0.75, PriorityTier.Low, "bottom quarter of leads (below 1%)")]
    [InlineData(0.5, 0.75, 0.9, PriorityTier.VeryHigh, "top 10% of leads (7% or more)")]
    [InlineData(0.5, 0.75, 0.9, PriorityTier.High, "top 10-25% of leads (3% to 6%)")]
    [InlineData(0.5, 0.75, 0.9, PriorityTier.Medium, "top 25-50% of leads (1% to 2%)")]
    [InlineData(0.5, 0.75, 0.9, PriorityTier.Low, "bottom half of leads (below 1%)")]
    public void Meaning_NamesTheShareOfLeadsTheTierWasCutAtAndThePercentsShown(double q1, double q2, double q3, PriorityTier tier, string meaning) =>
        (Cuts with { Quantiles = [q1, q2, q3] }).Meaning(tier).ShouldBe(meaning);

    [Fact]
    public void Meaning_CutsAtTheSamePercent_SayTheTierBetweenIsEmpty() =>
        new TierCutPoints(0.012, 0.031, 0.0349) { Quantiles = [0.25, 0.5, 0.75] }.Meaning(PriorityTier.High)
            .ShouldBe("top 25-50% of leads (none: its cut points round to the same percent)");

    [Fact]
    public void Meaning_AModelSavedWithoutItsQuantiles_SaysThePercentsAlone() =>
        Cuts.Meaning(PriorityTier.VeryHigh).ShouldBe("leads at 7% or more");
}
