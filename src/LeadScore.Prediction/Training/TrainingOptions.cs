namespace LeadScore.Prediction.Training;

/// <summary>
/// What to learn from a CSV: the label column and which of its values count as converted (by default
/// yes, true, 1, won, converted, in any case), columns to leave out, an id column, and the folds.
/// </summary>
public sealed record TrainingOptions
{
    public static readonly IReadOnlyList<string> DefaultPositiveValues = ["yes", "true", "1", "won", "converted"];

    public TrainingOptions(string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        Label = label;
    }

    public string Label { get; }

    public IReadOnlyList<string> PositiveValues { get; init; } = DefaultPositiveValues;

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public string? IdColumn { get; init; }

    public int Folds { get; init; } = 5;

    /// <summary>Fixes fold assignment and the trainers' randomness, so the same file gives the same figures.</summary>
    public int Seed { get; init; } = 42;
}
