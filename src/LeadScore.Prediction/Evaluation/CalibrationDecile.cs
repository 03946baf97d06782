namespace LeadScore.Prediction.Evaluation;

/// <summary>
/// One tenth of the validated rows, taken in order of predicted probability: how many, the mean
/// probability predicted for them and the share that converted. <see cref="Gap"/> is predicted minus
/// observed: positive when the model promised more than happened.
/// </summary>
public sealed record CalibrationDecile(int Decile, int Rows, double MeanPredicted, double ObservedRate)
{
    public double Gap => MeanPredicted - ObservedRate;
}
