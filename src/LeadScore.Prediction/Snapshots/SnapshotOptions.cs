namespace LeadScore.Prediction.Snapshots;

/// <summary>
/// How training snapshots are taken: the label is "converted within <see cref="HorizonDays"/> after
/// the snapshot", snapshots fall every <see cref="EveryDays"/> days back from the last instant whose
/// horizon is complete, and fields that record what happened after a lead was won, or who a person is,
/// are left out.
/// </summary>
public sealed record SnapshotOptions
{
    /// <summary>
    /// Fields LeadScore's own automations write (stage, owner, tags, lists) follow the lead's progress,
    /// conversion included: as features they would read the outcome back.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultExcludedFields =
    [
        "lifecycleStage", "owner", "lifecycle.*", "tag.*", "list.*",

        // Who a lead is, not whether they buy: as features, names would be learned by heart (each
        // contact is in several snapshots) and predictions would treat people differently by name.
        "email", "firstName", "lastName", "name", "fullName", "phone", "mobile", "company", "companyName", "website", "domain", "address",
    ];

    public int HorizonDays { get; init; } = 90;

    public int EveryDays { get; init; } = 30;

    public int MaxSnapshots { get; init; } = 6;

    /// <summary>Field names left out, ignoring case; a trailing <c>*</c> matches a prefix.</summary>
    public IReadOnlyList<string> ExcludedFields { get; init; } = DefaultExcludedFields;

    /// <summary>The look-back windows of activity counts, in days.</summary>
    public IReadOnlyList<int> Windows { get; init; } = [7, 30, 90];

    public bool Excludes(string field) => ExcludedFields.Any(pattern => pattern.EndsWith('*')
        ? field.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
        : string.Equals(field, pattern, StringComparison.OrdinalIgnoreCase));
}
