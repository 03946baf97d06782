namespace LeadScore.Prediction.Models;

/// <summary>One row's predicted number (in the target's unit) and the columns that moved it most from the average.</summary>
public sealed record NumberPrediction(string Id, double Value, IReadOnlyList<Factor> Factors);
