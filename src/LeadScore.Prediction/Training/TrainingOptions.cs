namespace LeadScore.Prediction.Training;

/// <summary>
/// What to learn from a CSV: the label column and which of its values count as converted (by default
/// yes, true, 1, won, converted, in any case), columns to leave out, an id column, the folds (or a time
/// column for time-ordered validation), the tier quantiles, what to do with leaky
/// columns and which existing scores to compare with.
/// </summary>
public sealed record TrainingOptions
{
    public static readonly IReadOnlyList<string> DefaultPositiveValues = ["yes", "true", "1", "won", "converted"];

    public static readonly IReadOnlyList<double> DefaultTierQuantiles = [0.25, 0.5, 0.75];

    public TrainingOptions(string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        Label = label;
    }

    public string Label { get; }

    public IReadOnlyList<string> PositiveValues { get; init; } = DefaultPositiveValues;

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public string? IdColumn { get; init; }

    /// <summary>Cross-validation folds; with <see cref="TimeColumn"/>, the number of consecutive time blocks.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>
    /// A column of ISO dates or instants (never a feature) that switches validation to forward chaining:
    /// the rows, ordered by it, are cut into <see cref="Folds"/> consecutive blocks (rows sharing a time stay
    /// together) and each block after the first is predicted by a fit on the blocks before it.
    /// </summary>
    public string? TimeColumn { get; init; }

    /// <summary>
    /// Where the medium, high and very high tiers start, as quantiles of the out-of-fold probabilities:
    /// three increasing values between 0 and 1 (exclusive). 0.5, 0.75, 0.9 makes "very high" the top 10%.
    /// </summary>
    public IReadOnlyList<double> TierQuantiles { get; init; } = DefaultTierQuantiles;

    /// <summary>
    /// Whether a column flagged by the leakage check (it alone ranks the outcome better than every other
    /// feature together) is left out of the model. Off, it stays in and the report names it.
    /// </summary>
    public bool ExcludeLeaky { get; init; }

    /// <summary>
    /// The columns the leakage check may flag: names, or prefixes ending in <c>*</c>; null for every feature.
    /// The store's snapshots pass only the contacts' fields: counts of dated events are taken as of each
    /// snapshot and cannot record the outcome.
    /// </summary>
    public IReadOnlyList<string>? LeakageSuspects { get; init; }

    /// <summary>
    /// Columns holding an existing score (the published rules' points) to judge as baselines on the same
    /// validated rows as the model, after an isotonic calibration cross-fitted like the model's.
    /// </summary>
    public IReadOnlyList<string> ScoreBaselines { get; init; } = [];

    /// <summary>Fixes fold assignment and the trainers' randomness, so the same file gives the same figures.</summary>
    public int Seed { get; init; } = 42;
}
