namespace LeadScore.Prediction.Models;

/// <summary>
/// A column's part in one row's prediction, compared with the typical training row: its value, its
/// contribution to the model's raw score minus the typical row's (positive raises), and its
/// <see cref="Effect"/> on the prediction itself.
/// </summary>
/// <param name="Effect">
/// How much the prediction moves because of this value: the prediction minus the prediction with this
/// column's contribution back at the typical row's. For a lead model a probability (0.04 is 4 points),
/// for a number model the target's unit.
/// </param>
public sealed record Factor(string Column, string Value, double Contribution, double Effect)
{
    /// <summary>The effect in percentage points of probability, as a lead model's reasons show it.</summary>
    public double Points => Effect * 100;

    public override string ToString() => $"{Column} = {Value} {(Contribution >= 0 ? "raises" : "lowers")}";
}
