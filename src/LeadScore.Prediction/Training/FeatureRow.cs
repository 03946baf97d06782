namespace LeadScore.Prediction.Training;

/// <summary>One encoded row as ML.NET reads it; mutable fields because ML.NET fills and reads them by reflection.</summary>
internal sealed class FeatureRow
{
    public bool Label;

    public float[] Features = [];
}
