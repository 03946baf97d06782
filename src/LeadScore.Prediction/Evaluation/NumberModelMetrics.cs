namespace LeadScore.Prediction.Evaluation;

/// <summary>
/// How well a number model did in cross-validation: the kept trainer's MAE, RMSE and R², the rows it was
/// validated on, the training's wall time, and both contenders' scores: LightGBM and the mean baseline
/// (always predicting the training folds' mean). The one with the lower RMSE is kept.
/// </summary>
public sealed record NumberModelMetrics(
    double Mae,
    double Rmse,
    double RSquared,
    int Rows,
    string Trainer,
    double Seconds,
    string Validation,
    NumberScore LightGbm,
    NumberScore MeanBaseline);
