namespace LeadScore.Prediction.Models;

/// <summary>A loaded model, or why the file is not one.</summary>
public sealed record ModelLoadResult
{
    private ModelLoadResult(LeadModel? model, string? error)
    {
        Model = model;
        Error = error;
    }

    public LeadModel? Model { get; }

    public string? Error { get; }

    public static ModelLoadResult Loaded(LeadModel model) => new(model, null);

    public static ModelLoadResult Failed(string error) => new(null, error);
}
