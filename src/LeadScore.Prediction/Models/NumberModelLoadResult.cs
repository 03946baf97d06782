namespace LeadScore.Prediction.Models;

/// <summary>A loaded number model, or why the file is not one.</summary>
public sealed record NumberModelLoadResult
{
    private NumberModelLoadResult(NumberModel? model, string? error)
    {
        Model = model;
        Error = error;
    }

    public NumberModel? Model { get; }

    public string? Error { get; }

    public static NumberModelLoadResult Loaded(NumberModel model) => new(model, null);

    public static NumberModelLoadResult Failed(string error) => new(null, error);
}
