using LeadScore.Engine.Scoring;
using LeadScore.Prediction.Models;

namespace LeadScore.Prediction.Tests.Models;

public sealed class TierCutPointsTests
{
    // Quartiles as a low base rate gives them: the very high tier starts inside the 7 % a salesperson sees.
    private static readonly TierCutPoints Cuts = new(Medium: 0.012, High: 0.031, VeryHigh: 0.0725);

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
}
