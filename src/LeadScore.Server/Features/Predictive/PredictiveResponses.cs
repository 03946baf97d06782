namespace LeadScore.Server.Features.Predictive;

/// <summary>A training asked for: queued or already training, and where to follow it.</summary>
internal sealed record TrainingResponse(string State, string Status);

/// <summary>
/// Whether a training is queued or running (state: idle, queued or training), how the last one on this
/// server ended, the newest version, and the conversions recorded so far.
/// </summary>
internal sealed record PredictiveStatusResponse(
    string State, DateTimeOffset? TrainingSince, PredictiveRunRecord? LastRun, PredictiveModelResponse? Latest, int Conversions);

/// <summary>The predictive model versions, newest first.</summary>
internal sealed record PredictiveModelsResponse(IReadOnlyList<PredictiveModelResponse> Versions);
