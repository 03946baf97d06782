using System.Collections.Immutable;
using LeadScore.Engine.Model;

namespace LeadScore.Storage.Records;

/// <summary>
/// The current score of a record under a published model, with its explanation as the same JSON
/// line offline scoring writes (<see cref="Line"/>), so stored and offline scores compare key for key.
/// </summary>
public sealed record StoredScore(
    RecordKind Kind,
    string RecordId,
    string ModelKey,
    int ModelVersion,
    int Score,
    int Points,
    string? Grade,
    bool Qualified,
    string? DisqualifiedBy,
    ImmutableArray<string> Thresholds,
    DateTimeOffset ScoredAt,
    DateTimeOffset? NextChangeAt,
    string Line)
{
    /// <summary>The contact's current prediction, on lead lists of contact models; null when it has none.</summary>
    public ContactPrediction? Prediction { get; init; }

    /// <summary>The contact's name, email, company, owner and latest activity, on lead lists of contact models.</summary>
    public LeadContact? Contact { get; init; }

    /// <summary>Where the lead stands (open, converted, won, lost, disqualified), on lead lists.</summary>
    public LeadStatus? Status { get; init; }

    /// <summary>Why a contact on a lead list has no <see cref="Prediction"/>; null when it has one, or is not a contact.</summary>
    public MissingPrediction? NoPrediction { get; init; }
}
