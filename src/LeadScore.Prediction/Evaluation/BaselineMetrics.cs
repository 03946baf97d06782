namespace LeadScore.Prediction.Evaluation;

/// <summary>
/// A naive way to rank the same leads, judged on the same validated rows as the model: a model that does
/// not clearly beat these is not worth its complexity. <see cref="Name"/> is "NaiveBayes" or the column of
/// an existing score (the published rules' points); <see cref="Method"/> says how its probabilities were made.
/// </summary>
public sealed record BaselineMetrics(
    string Name,
    string Method,
    double Auc,
    double LogLoss,
    double Brier,
    double LiftTop10,
    IReadOnlyList<CalibrationDecile> Calibration)
{
    public const string NaiveBayesName = "NaiveBayes";

    public static BaselineMetrics Of(string name, string method, IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels) =>
        new(name, method,
            Engine.Review.RocAuc.Of(probabilities, labels),
            BinaryMetrics.LogLoss(probabilities, labels),
            BinaryMetrics.Brier(probabilities, labels),
            BinaryMetrics.LiftTopDecile(probabilities, labels),
            BinaryMetrics.Deciles(probabilities, labels));

    /// <summary>Field-by-field, with the calibration table compared by its deciles rather than by reference.</summary>
    public bool Equals(BaselineMetrics? other) =>
        other is not null
        && (Name, Method, Auc, LogLoss, Brier, LiftTop10).Equals((other.Name, other.Method, other.Auc, other.LogLoss, other.Brier, other.LiftTop10))
        && Calibration.SequenceEqual(other.Calibration);

    public override int GetHashCode() => HashCode.Combine(Name, Auc);
}
