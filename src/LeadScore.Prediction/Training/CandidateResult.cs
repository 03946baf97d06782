namespace LeadScore.Prediction.Training;

/// <summary>
/// A candidate's cross-validation: its raw out-of-fold scores (NaN where a row was not predicted), its
/// ROC-AUC over the rows it predicted, and how many of the plan's splits it ran before it stopped.
/// </summary>
internal sealed record CandidateResult(Candidate Candidate, double[] Scores, double Auc, int SplitsRun, bool Completed);
