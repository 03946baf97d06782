namespace LeadScore.Storage.Records;

/// <summary>Why a contact on a lead list has no prediction, so an empty column explains itself.</summary>
public enum MissingPrediction
{
    /// <summary>It converted: predictions are made for open leads only.</summary>
    ConvertedAlready,

    /// <summary>No predictive model has been trained in this workspace yet (too few outcomes, or never run).</summary>
    NoModelYet,

    /// <summary>It was created after the current model's training; the next training predicts it.</summary>
    CreatedAfterTraining,

    /// <summary>The last training left it out (it was closed then, or disqualified).</summary>
    NotPredicted,
}
