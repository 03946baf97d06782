using LeadScore.Engine.Review;
using LeadScore.Prediction.Calibration;
using LeadScore.Prediction.Evaluation;

namespace LeadScore.Prediction.Tests.Evaluation;

public sealed class BinaryMetricsTests
{
    [Fact]
    public void Auc_PerfectAndTiedRankings_GiveOneAndHalf()
    {
        bool[] labels = [false, false, true, true];

        RocAuc.Of([0.1, 0.2, 0.8, 0.9], labels).ShouldBe(1);
        RocAuc.Of([0.5, 0.5, 0.5, 0.5], labels).ShouldBe(0.5);
    }

    [Fact]
    public void AucStandardError_HanleyAndMcNeilExample_MatchesTheirFormula()
    {
        var se = BinaryMetrics.AucStandardError(0.8, 100, 100);

        se.ShouldBe(0.0314, 0.0005);
        BinaryMetrics.AucStandardError(0.8, 10_000, 10_000).ShouldBeLessThan(se / 5);
    }

    [Fact]
    public void Deciles_HundredRows_AreTenGroupsOfTenInOrderOfProbability()
    {
        var probabilities = Enumerable.Range(0, 100).Select(i => (99 - i) / 100.0).ToArray();
        var labels = probabilities.Select(p => p >= 0.95).ToArray();

        var deciles = BinaryMetrics.Deciles(probabilities, labels);

        deciles.Select(d => d.Rows).ShouldBe(Enumerable.Repeat(10, 10));
        deciles[0].MeanPredicted.ShouldBe(0.045, 1e-12);
        deciles[9].MeanPredicted.ShouldBe(0.945, 1e-12);
        deciles[9].ObservedRate.ShouldBe(0.5);
        deciles[9].Gap.ShouldBe(0.445, 1e-12);
        deciles[0].Decile.ShouldBe(1);
    }

    [Fact]
    public void AveragePrecision_OnePositiveRankedSecond_IsOneHalf()
    {
        var ap = BinaryMetrics.AveragePrecision([0.9, 0.8, 0.1], [false, true, false]);

        ap.ShouldBe(0.5);
    }

    [Fact]
    public void LiftTopDecile_AllPositivesOnTop_IsOneOverTheRate()
    {
        var probabilities = Enumerable.Range(0, 100).Select(i => i / 100.0).ToArray();
        var labels = probabilities.Select(p => p >= 0.9).ToArray();

        BinaryMetrics.LiftTopDecile(probabilities, labels).ShouldBe(10, 1e-9);
    }

    [Fact]
    public void IsotonicCalibrator_Fit_IsMonotoneAndMatchesRates()
    {
        double[] scores = [1, 2, 3, 4, 5, 6];
        bool[] labels = [false, true, false, true, true, true];

        var calibrator = IsotonicCalibrator.Fit(scores, labels);

        calibrator.Probabilities.ShouldBe([0, 0.5, 1]);
        calibrator.Calibrate(0).ShouldBe(0);
        calibrator.Calibrate(100).ShouldBe(1);
        calibrator.Calibrate(2.5).ShouldBe(0.5);
    }
}
