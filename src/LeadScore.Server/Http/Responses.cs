using System.Collections.Immutable;
using System.Text.Json;

using LeadScore.Engine.Model;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;
using LeadScore.Server.Features.Predictive;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Http;

/// <summary>A contact, company or deal as the API returns it.</summary>
internal sealed record RecordResponse(
    string Id, RecordKind Kind, [property: DocumentedAs(typeof(IReadOnlyDictionary<string, FieldScalar>))] IReadOnlyDictionary<string, object?> Fields, string? ContactId, string? CompanyId, DateTimeOffset UpdatedAt)
{
    public static RecordResponse From(StoredRecord record) =>
        new(record.Id, record.Kind, FieldOutput.ToJson(record.Fields), record.ContactId, record.CompanyId, record.UpdatedAt);
}

/// <summary>A current score with its explanation: the same JSON line offline scoring writes.</summary>
internal sealed record ScoreResponse(
    string Model, int Version, RecordKind Kind, string RecordId, int Score, int Points, string? Grade, bool Qualified, string? DisqualifiedBy,
    ImmutableArray<string> Thresholds, DateTimeOffset ScoredAt, DateTimeOffset? NextChangeAt,
    [property: DocumentedAs(typeof(ScoreExplanation))] JsonElement Explanation)
{
    /// <summary>The contact's prediction, on the leads list; absent when it has none.</summary>
    public PredictionResponse? Prediction { get; init; }

    /// <summary>Who the contact is and its latest activity, on the leads list of a contact model.</summary>
    public LeadContact? Contact { get; init; }

    /// <summary>Where the lead stands (open, converted, won, lost, disqualified), on the leads list.</summary>
    public LeadStatus? Status { get; init; }

    /// <summary>Why a contact on the leads list has no prediction; absent when it has one.</summary>
    public MissingPrediction? NoPrediction { get; init; }

    public static ScoreResponse From(StoredScore score) => new(
        score.ModelKey, score.ModelVersion, score.Kind, score.RecordId, score.Score, score.Points, score.Grade, score.Qualified, score.DisqualifiedBy,
        score.Thresholds, score.ScoredAt, score.NextChangeAt, JsonSerializer.Deserialize<JsonElement>(score.Line))
    {
        Prediction = PredictionResponse.From(score.Prediction),
        Contact = score.Contact,
        Status = score.Status,
        NoPrediction = score.NoPrediction,
    };
}

/// <summary>One change of a score, and why it happened.</summary>
internal sealed record HistoryResponse(
    DateTimeOffset At, int Version, int? OldScore, int NewScore, int? OldPoints, int NewPoints, string? Grade, ImmutableArray<string> Thresholds,
    ScoreChangeCause Cause, string? CauseId)
{
    public static HistoryResponse From(ScoreHistoryEntry entry) => new(
        entry.At, entry.ModelVersion, entry.OldScore, entry.NewScore, entry.OldPoints, entry.NewPoints, entry.Grade, entry.Thresholds, entry.Cause, entry.CauseId);
}

internal sealed record EventResponse(
    string Id, string Type, DateTimeOffset OccurredAt, [property: DocumentedAs(typeof(IReadOnlyDictionary<string, FieldScalar>))] IReadOnlyDictionary<string, object?> Properties)
{
    public static EventResponse From(ActivityEvent e) => new(e.Id, e.Type, e.OccurredAt, FieldOutput.ToJson(e.Properties));
}

/// <summary>What a write did; <see cref="Rejected"/> lists each item that stored nothing, with its position in the request.</summary>
internal sealed record WriteResponse(int Written, int Unchanged, int Rescored, IReadOnlyList<Rejection> Rejected);

internal sealed record PageResponse<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Field values as JSON: numbers stay numbers, booleans booleans, dates ISO 8601 text.</summary>
internal static class FieldOutput
{
    public static IReadOnlyDictionary<string, object?> ToJson(IReadOnlyDictionary<string, FieldValue> fields)
    {
        var json = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            json[name] = FieldValueJson.ToJsonValue(value);
        }

        return json;
    }
}
