using LeadScore.Prediction.Validation;

namespace LeadScore.Prediction.Calibration;

/// <summary>
/// Calibrated probabilities that were not fitted on the rows they describe: each split's out-of-fold
/// scores go through an isotonic calibrator fitted on the other splits' out-of-fold scores. Metrics on
/// these say how the calibration holds on new leads; the calibrator that ships is still fitted on all
/// out-of-fold scores, so it is a little better than they show, never worse by construction.
/// </summary>
internal static class CrossFittedCalibration
{
    /// <summary>
    /// A probability for every validated row of <paramref name="plan"/>, NaN for the rows no split predicts;
    /// null when the plan has a single split (two time blocks), which leaves no other split to calibrate on.
    /// </summary>
    public static double[]? HeldOut(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, ValidationPlan plan)
    {
        if (plan.Splits.Count < 2)
        {
            return null;
        }

        var probabilities = Enumerable.Repeat(double.NaN, scores.Count).ToArray();
        var validated = plan.ValidatedRows();
        foreach (var split in plan.Splits)
        {
            var held = split.Test.ToHashSet();
            var others = validated.Where(i => !held.Contains(i)).ToArray();
            var calibrator = IsotonicCalibrator.Fit(others.Select(i => scores[i]).ToArray(), others.Select(i => labels[i]).ToArray());
            foreach (var i in split.Test)
            {
                probabilities[i] = calibrator.Calibrate(scores[i]);
            }
        }

        return probabilities;
    }
}
