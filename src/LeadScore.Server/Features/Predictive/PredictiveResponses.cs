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

/// <summary>
/// Why a contact has no prediction yet: no predictive model is trained (reason "not-trained"). Training needs
/// at least <see cref="MinimumConversions"/> converted training rows; <see cref="OutcomesNeeded"/> is how many
/// more conversions that takes at least (a conversion teaches only when it falls within the horizon after a
/// snapshot, so it can take more); <see cref="Detail"/> says it in words. It depends on the recorded
/// conversions only, not on this server's last run (GET /predictive/status tells that), so every server
/// answers the same.
/// </summary>
internal sealed record PredictionPendingResponse(string Reason, int Conversions, int MinimumConversions, int OutcomesNeeded, string Detail)
{
    public static PredictionPendingResponse NotTrained(int conversions)
    {
        var minimum = Prediction.Training.LeadModelTrainer.MinimumPerClass;
        var needed = Math.Max(0, minimum - conversions);
        var detail = needed > 0
            ? $"No predictive model yet: it needs at least {needed} more conversion{(needed == 1 ? "" : "s")} ({conversions} recorded, at least {minimum} needed)."
            : $"No predictive model yet: {conversions} conversions are recorded, but not yet enough within a horizon after a training snapshot; "
                + "GET /api/v1/predictive/status says why the last training was refused.";
        return new PredictionPendingResponse("not-trained", conversions, minimum, needed, detail);
    }
}
