using System.Text.Json;
using LeadScore.Prediction.Snapshots;

namespace LeadScore.Server.Features.Predictive;

/// <summary>
/// How a workspace's predictive model is trained and kept fresh. Defaults: "converts within 90 days",
/// snapshots every 30 days (at most 6), tiers at the quartiles, retrained every 10 days and whenever
/// the conversions recorded grew by a fifth, predictions refreshed daily in between.
/// </summary>
public sealed record PredictiveSettings
{
    public int HorizonDays { get; init; } = 90;

    public int SnapshotEveryDays { get; init; } = 30;

    public int MaxSnapshots { get; init; } = 6;

    /// <summary>Where the medium, high and very high tiers start, as quantiles of the validated probabilities.</summary>
    public IReadOnlyList<double> Tiers { get; init; } = [0.25, 0.5, 0.75];

    /// <summary>Fields never used as features, beyond those LeadScore's automations write (a trailing * matches a prefix).</summary>
    public IReadOnlyList<string> ExcludeFields { get; init; } = [];

    public int RetrainEveryDays { get; init; } = 10;

    /// <summary>Retrain when the conversions recorded grew by this fraction since the last training.</summary>
    public double RetrainOnConversionGrowth { get; init; } = 0.2;

    public int RefreshEveryHours { get; init; } = 24;

    /// <summary>Training reads a stable sample of at most this many contacts; every open contact is predicted all the same.</summary>
    public int MaxTrainingContacts { get; init; } = 50_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static PredictiveSettings Read(string? json) =>
        string.IsNullOrWhiteSpace(json) || json == "{}" ? new PredictiveSettings() : JsonSerializer.Deserialize<PredictiveSettings>(json, Json) ?? new PredictiveSettings();

    public string Write() => JsonSerializer.Serialize(this, Json);

    public SnapshotOptions Snapshots() => new()
    {
        HorizonDays = HorizonDays,
        EveryDays = SnapshotEveryDays,
        MaxSnapshots = MaxSnapshots,
        ExcludedFields = [.. SnapshotOptions.DefaultExcludedFields, .. ExcludeFields],
        MaxTrainingContacts = MaxTrainingContacts,
    };

    /// <summary>What is wrong with these settings, one message per setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();

        // The reader lets a null through inside a list (its nullable checks stop at properties); a field name is text.
        if (ExcludeFields.Any(field => field is null))
        {
            problems.Add("excludeFields holds field names; null is not one");
        }

        if (HorizonDays is < 1 or > 730)
        {
            problems.Add($"horizonDays {HorizonDays} is out of range: give 1 to 730 days");
        }

        if (SnapshotEveryDays is < 1 or > 365)
        {
            problems.Add($"snapshotEveryDays {SnapshotEveryDays} is out of range: give 1 to 365 days");
        }

        if (MaxSnapshots is < 2 or > 24)
        {
            problems.Add($"maxSnapshots {MaxSnapshots} is out of range: give 2 to 24 (validation trains on older snapshots and checks on newer ones)");
        }

        if (Tiers is not [var medium, var high, var veryHigh] || !(0 < medium && medium < high && high < veryHigh && veryHigh < 1))
        {
            problems.Add("tiers must be three increasing quantiles between 0 and 1, such as [0.25, 0.5, 0.75]");
        }

        if (RetrainEveryDays is < 1 or > 365)
        {
            problems.Add($"retrainEveryDays {RetrainEveryDays} is out of range: give 1 to 365 days");
        }

        if (RetrainOnConversionGrowth is <= 0 or > 10)
        {
            problems.Add($"retrainOnConversionGrowth {RetrainOnConversionGrowth} is out of range: give a fraction above 0 (0.2 = 20% more conversions)");
        }

        if (MaxTrainingContacts is < 1_000 or > 1_000_000)
        {
            problems.Add($"maxTrainingContacts {MaxTrainingContacts} is out of range: give 1,000 to 1,000,000 contacts");
        }

        if (RefreshEveryHours is < 1 or > 720)
        {
            problems.Add($"refreshEveryHours {RefreshEveryHours} is out of range: give 1 to 720 hours");
        }

        return problems;
    }
}
