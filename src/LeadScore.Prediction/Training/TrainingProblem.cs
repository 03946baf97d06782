namespace LeadScore.Prediction.Training;

/// <summary>Why training was refused.</summary>
public enum TrainingProblem
{
    UnknownColumn,
    InvalidOptions,
    TooLittleData,
    NoFeatures,

    /// <summary>The rows cannot be validated as asked: too few distinct times, or times missing.</summary>
    CannotValidate,
}
