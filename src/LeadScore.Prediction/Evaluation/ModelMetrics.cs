namespace LeadScore.Prediction.Evaluation;

/// <summary>
/// How well the chosen trainer did, measured on its calibrated out-of-fold probabilities.
/// <see cref="Ece"/> uses 10 equal-width probability bins; <see cref="LiftTop10"/> is the positive rate
/// of the 10% highest probabilities over the overall rate; <see cref="Seconds"/> is the whole training's wall time.
/// </summary>
public sealed record ModelMetrics(
    double Auc,
    double PrAuc,
    double LogLoss,
    double Brier,
    double Ece,
    double LiftTop10,
    int Rows,
    int Positives,
    string Trainer,
    double Seconds);
