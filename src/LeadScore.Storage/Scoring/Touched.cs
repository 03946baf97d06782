using LeadScore.Engine.Model;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Scoring;

/// <summary>Why a record is re-scored, for its history row: the cause and the id of what caused it (an event id, a model version).</summary>
internal readonly record struct ChangeReason(ScoreChangeCause Cause, string? CauseId);

/// <summary>
/// The records a write touched, each with the reason it changed. The re-scorer widens this to the
/// records that see them: a contact's deals (which see <c>contact.*</c>) and its company (which
/// counts its events).
/// </summary>
internal sealed class Touched
{
    public Dictionary<string, ChangeReason> Contacts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ChangeReason> Companies { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ChangeReason> Deals { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, only this model's scores are recomputed (a publish job, an adjustment, a due score).</summary>
    public string? OnlyModel { get; init; }

    public bool IsEmpty => Contacts.Count == 0 && Companies.Count == 0 && Deals.Count == 0;

    public Dictionary<string, ChangeReason> Of(RecordKind kind) => kind switch
    {
        RecordKind.Contact => Contacts,
        RecordKind.Company => Companies,
        _ => Deals,
    };
}
