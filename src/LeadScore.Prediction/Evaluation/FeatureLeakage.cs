namespace LeadScore.Prediction.Evaluation;

/// <summary>
/// One column put to the leakage test: its ROC-AUC alone (<see cref="SingleFeatureAuc"/>) against the
/// out-of-fold ROC-AUC of a model trained on every other feature (<see cref="OthersAuc"/>). A column that
/// alone ranks the outcome better than all the others together is more likely a record of the outcome
/// (a call's length, a tag sales set after calling) than a cause of it: <see cref="Leaks"/>.
/// </summary>
public sealed record FeatureLeakage(string Column, double SingleFeatureAuc, double OthersAuc)
{
    public bool Leaks => SingleFeatureAuc > OthersAuc;
}
