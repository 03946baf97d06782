namespace LeadScore.Prediction.Training;

/// <summary>
/// What number to learn from a table (a deal's won amount, its days to close): the target column, columns
/// to leave out, an id column echoed by predictions, and the folds. Rows whose target is not a number are not used.
/// </summary>
public sealed record NumberTrainingOptions
{
    public NumberTrainingOptions(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        Target = target;
    }

    public string Target { get; }

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public string? IdColumn { get; init; }

    public int Folds { get; init; } = 5;

    /// <summary>Fixes fold assignment and the trainer's randomness, so the same table gives the same figures.</summary>
    public int Seed { get; init; } = 42;
}
