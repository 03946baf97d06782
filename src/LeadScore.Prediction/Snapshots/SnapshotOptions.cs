using LeadScore.Engine.Subjects;

namespace LeadScore.Prediction.Snapshots;

/// <summary>
/// How training snapshots are taken: the label is "converted within <see cref="HorizonDays"/> after
/// the snapshot", snapshots fall every <see cref="EveryDays"/> days back from the last instant whose
/// horizon is complete, and fields that record what happened after a lead was won, or who a person is,
/// are left out.
/// </summary>
public sealed record SnapshotOptions
{
    /// <summary>Fields that are not evidence of buying: automation-written and identity fields (<see cref="StandardFields.NotEvidence"/>).</summary>
    public static readonly IReadOnlyList<string> DefaultExcludedFields = StandardFields.NotEvidence;

    public int HorizonDays { get; init; } = 90;

    public int EveryDays { get; init; } = 30;

    public int MaxSnapshots { get; init; } = 6;

    /// <summary>Field names left out, ignoring case; a trailing <c>*</c> matches a prefix.</summary>
    public IReadOnlyList<string> ExcludedFields { get; init; } = DefaultExcludedFields;

    /// <summary>
    /// Training reads a stable sample of at most this many contacts (by a hash of their id, so the
    /// same contacts each time); predictions are made for every open contact all the same.
    /// </summary>
    public int MaxTrainingContacts { get; init; } = 50_000;

    /// <summary>Whether a contact is in the training sample when the workspace has <paramref name="contacts"/> of them.</summary>
    public bool Samples(string contactId, long contacts)
    {
        if (contacts <= MaxTrainingContacts)
        {
            return true;
        }

        // FNV-1a: stable across processes and versions, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in contactId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash / (double)uint.MaxValue < MaxTrainingContacts / (double)contacts;
    }

    /// <summary>The look-back windows of activity counts, in days.</summary>
    public IReadOnlyList<int> Windows { get; init; } = [7, 30, 90];

    public bool Excludes(string field) => StandardFields.Matches(field, ExcludedFields);
}
