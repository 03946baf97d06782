using LeadScore.Prediction.Models;

namespace LeadScore.Prediction.Training;

/// <summary>A trained number model, or why training was refused (an unknown column, too few rows): a value, not an exception.</summary>
public abstract record NumberTrainingOutcome
{
    private NumberTrainingOutcome()
    {
    }

    public sealed record Trained(NumberModel Model) : NumberTrainingOutcome;

    public sealed record Refused(TrainingProblem Problem, string Message) : NumberTrainingOutcome;
}
