namespace LeadScore.Prediction.Training;

/// <summary>One encoded row with a number to learn, as ML.NET reads it; mutable fields because ML.NET fills and reads them by reflection.</summary>
internal sealed class NumberRow
{
    public float Label;

    public float[] Features = [];
}
