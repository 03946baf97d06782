namespace LeadScore.Prediction.Validation;

/// <summary>One round of validation: the labelled rows a candidate is fitted on and the rows it then predicts (positions among the labelled rows).</summary>
internal sealed record ValidationSplit(int[] Train, int[] Test);
