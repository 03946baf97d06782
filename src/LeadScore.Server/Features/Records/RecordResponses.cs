using LeadScore.Server.Features.Predictive;
using LeadScore.Server.Http;

namespace LeadScore.Server.Features.Records;

/// <summary>A record's current score under every published model and, for a contact, its prediction (absent when it has none).</summary>
internal sealed record RecordScoresResponse(string Id, IReadOnlyList<ScoreResponse> Scores, PredictionResponse? Prediction)
{
    /// <summary>For a contact without a prediction because no predictive model is trained yet: how many more conversions training needs.</summary>
    public PredictionPendingResponse? PredictionPending { get; init; }
}

/// <summary>A record's score over time under one model, oldest change first.</summary>
internal sealed record ScoreHistoryResponse(string Id, string Model, IReadOnlyList<HistoryResponse> Entries);
