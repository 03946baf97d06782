namespace LeadScore.Prediction.Evaluation;

/// <summary>
/// How close one trainer's out-of-fold predictions of a number came: mean absolute error, root mean squared
/// error (both in the target's unit) and R² (1 is perfect, 0 is no better than always predicting the mean).
/// </summary>
public sealed record NumberScore(string Trainer, double Mae, double Rmse, double RSquared)
{
    public static NumberScore Of(string trainer, IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        var mean = actual.Average();
        double absolute = 0, squared = 0, total = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var error = predicted[i] - actual[i];
            absolute += Math.Abs(error);
            squared += error * error;
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        return new NumberScore(trainer, absolute / actual.Count, Math.Sqrt(squared / actual.Count), total == 0 ? double.NaN : 1 - squared / total);
    }
}
