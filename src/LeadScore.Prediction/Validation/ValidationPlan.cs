namespace LeadScore.Prediction.Validation;

/// <summary>
/// How candidates are validated: the splits, in the order they are run, and a description for people
/// ("stratified 5-fold: validated on 41,188 rows"). Every validated row is predicted by exactly one split.
/// </summary>
internal sealed record ValidationPlan(IReadOnlyList<ValidationSplit> Splits, string Description)
{
    /// <summary>The rows some split predicts, in ascending order; metrics and calibration use only these.</summary>
    public int[] ValidatedRows() => Splits.SelectMany(s => s.Test).Order().ToArray();

    /// <summary>Stratified k-fold: each fold is predicted by a fit on the other folds.</summary>
    public static ValidationPlan Stratified(IReadOnlyList<bool> labels, int folds, int seed)
    {
        var fold = StratifiedFolds.Assign(labels, folds, seed);
        var splits = Enumerable.Range(0, folds)
            .Select(k => new ValidationSplit(
                Enumerable.Range(0, labels.Count).Where(i => fold[i] != k).ToArray(),
                Enumerable.Range(0, labels.Count).Where(i => fold[i] == k).ToArray()))
            .ToArray();
        return new ValidationPlan(splits, $"stratified {folds}-fold: validated on {labels.Count:N0} rows");
    }
}
