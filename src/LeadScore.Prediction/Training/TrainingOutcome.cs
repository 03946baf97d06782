using LeadScore.Prediction.Models;

namespace LeadScore.Prediction.Training;

/// <summary>A trained model, or why training was refused (an unknown column, too little data): a value, not an exception.</summary>
public abstract record TrainingOutcome
{
    private TrainingOutcome()
    {
    }

    /// <param name="CandidateAucs">Each trainer's out-of-fold ROC-AUC (uncalibrated), in the order tried.</param>
    /// <param name="StoppedEarly">
    /// The trainers that fell clearly behind on the first two folds and were not run on the others; their
    /// AUC in <paramref name="CandidateAucs"/> is over those two folds' rows.
    /// </param>
    /// <param name="SplitOfRow">
    /// For each row of the table, the fold (or time block, counted from 0 among the predicted ones) whose
    /// held-out prediction validated it; null for rows without a label or never predicted (the first time block).
    /// </param>
    public sealed record Trained(
        LeadModel Model, IReadOnlyDictionary<string, double> CandidateAucs, IReadOnlyList<string> StoppedEarly, IReadOnlyList<int?> SplitOfRow)
        : TrainingOutcome;

    public sealed record Refused(TrainingProblem Problem, string Message) : TrainingOutcome;
}
