namespace LeadScore.Prediction.Models;

/// <summary>A column's part in one lead's probability: its value and how much it pushed the model's score up or down.</summary>
public sealed record Factor(string Column, string Value, double Contribution)
{
    public override string ToString() => $"{Column} = {Value} {(Contribution >= 0 ? "raises" : "lowers")}";
}
