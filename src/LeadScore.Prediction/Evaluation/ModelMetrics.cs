namespace LeadScore.Prediction.Evaluation;

/// <summary>
/// How well the chosen trainer did, measured on held-out calibrated probabilities of the validated rows:
/// each fold's out-of-fold scores calibrated by a calibrator fitted on the other folds only.
/// <see cref="Ece"/> uses 10 equal-width probability bins; <see cref="LiftTop10"/> is the positive rate
/// of the 10% highest probabilities over the overall rate; <see cref="Seconds"/> is the whole training's
/// wall time; <see cref="Validation"/> says how rows were held out; <see cref="Calibration"/> is the
/// decile table (10 groups by predicted probability). <see cref="Rows"/> and <see cref="Positives"/>
/// count every labelled row, validated or not.
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
    double Seconds,
    string Validation,
    IReadOnlyList<CalibrationDecile> Calibration)
{
    /// <summary>
    /// The naive baselines judged on the same validated rows: Odoo's frequency naive Bayes, and each
    /// existing score asked for (<see cref="Training.TrainingOptions.ScoreBaselines"/>).
    /// </summary>
    public IReadOnlyList<BaselineMetrics> Baselines { get; init; } = [];

    /// <summary>
    /// With time-ordered validation, the kept trainer's ROC-AUC (before calibration) on shuffled stratified
    /// folds of the same rows: a secondary figure, kinder than the headline because it lets the model learn
    /// from the future of the rows it is tested on. Null when the headline is itself shuffled.
    /// </summary>
    public double? ShuffledAuc { get; init; }

    /// <summary>The largest distance, in probability, between a decile's mean prediction and its observed rate.</summary>
    public double LargestCalibrationGap => Calibration.Count == 0 ? double.NaN : Calibration.Max(d => Math.Abs(d.Gap));

    /// <summary>Field-by-field, with the calibration table compared by its deciles rather than by reference.</summary>
    public bool Equals(ModelMetrics? other) =>
        other is not null
        && (Auc, PrAuc, LogLoss, Brier, Ece, LiftTop10, Rows, Positives, Trainer, Seconds, Validation)
            .Equals((other.Auc, other.PrAuc, other.LogLoss, other.Brier, other.Ece, other.LiftTop10, other.Rows, other.Positives, other.Trainer, other.Seconds, other.Validation))
        && Calibration.SequenceEqual(other.Calibration)
        && Baselines.SequenceEqual(other.Baselines)
        && ShuffledAuc == other.ShuffledAuc;

    public override int GetHashCode() => HashCode.Combine(Auc, Trainer, Rows, Validation);
}
