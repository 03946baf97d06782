using LeadScore.Prediction.Calibration;
using LeadScore.Prediction.Validation;

namespace LeadScore.Prediction.Tests.Calibration;

public sealed class CrossFittedCalibrationTests
{
    [Fact]
    public void HeldOut_FoldsOwnLabels_DoNotChangeItsProbabilities()
    {
        var random = new Random(8);
        var scores = Enumerable.Range(0, 600).Select(_ => random.NextDouble()).ToArray();
        var labels = scores.Select(s => random.NextDouble() < s).ToArray();
        var plan = ValidationPlan.Stratified(labels, 3, seed: 1);
        var flipped = labels.ToArray();
        foreach (var i in plan.Splits[0].Test)
        {
            flipped[i] = !flipped[i];
        }

        var before = CrossFittedCalibration.HeldOut(scores, labels, plan)!;
        var after = CrossFittedCalibration.HeldOut(scores, flipped, plan)!;

        plan.Splits[0].Test.Select(i => after[i]).ShouldBe(plan.Splits[0].Test.Select(i => before[i]));
        plan.Splits[1].Test.Select(i => after[i]).ShouldNotBe(plan.Splits[1].Test.Select(i => before[i]));
    }

    [Fact]
    public void HeldOut_ScoresThatAreNoise_ShowTheGapAnInSampleFitHides()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 400).Select(_ => random.NextDouble()).ToArray();
        var labels = scores.Select(_ => random.NextDouble() < 0.3).ToArray();
        var plan = ValidationPlan.Stratified(labels, 5, seed: 1);
        var inSample = IsotonicCalibrator.Fit(scores, labels);

        var heldOut = CrossFittedCalibration.HeldOut(scores, labels, plan)!;

        var inSampleBrier = scores.Select((s, i) => Math.Pow(inSample.Calibrate(s) - (labels[i] ? 1 : 0), 2)).Average();
        var heldOutBrier = heldOut.Select((p, i) => Math.Pow(p - (labels[i] ? 1 : 0), 2)).Average();
        heldOutBrier.ShouldBeGreaterThan(inSampleBrier);
    }
}
