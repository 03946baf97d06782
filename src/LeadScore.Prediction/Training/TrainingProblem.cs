namespace LeadScore.Prediction.Training;

/// <summary>Why training was refused.</summary>
public enum TrainingProblem
{
    UnknownColumn,
    InvalidOptions,
    TooLittleData,
    NoFeatures,
}
