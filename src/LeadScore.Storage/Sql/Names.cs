using LeadScore.Engine.Model;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Sql;

/// <summary>How enums are spelled in the database: lower-case words that read well in SQL and survive reordering the enums.</summary>
internal static class Names
{
    public static string Of(RecordKind kind) => kind switch
    {
        Engine.Model.RecordKind.Contact => "contact",
        Engine.Model.RecordKind.Company => "company",
        _ => "deal",
    };

    public static RecordKind RecordKind(string text) => text switch
    {
        "contact" => Engine.Model.RecordKind.Contact,
        "company" => Engine.Model.RecordKind.Company,
        "deal" => Engine.Model.RecordKind.Deal,
        _ => throw new InvalidDataException($"Unknown record kind '{text}' in the database."),
    };

    public static string Table(RecordKind kind) => kind switch
    {
        Engine.Model.RecordKind.Contact => "contacts",
        Engine.Model.RecordKind.Company => "companies",
        _ => "deals",
    };

    public static string Of(ScoreChangeCause cause) => cause switch
    {
        ScoreChangeCause.Event => "event",
        ScoreChangeCause.Publish => "publish",
        ScoreChangeCause.Decay => "decay",
        ScoreChangeCause.Adjustment => "adjustment",
        ScoreChangeCause.Automation => "automation",
        _ => "field-change",
    };

    public static ScoreChangeCause Cause(string text) => text switch
    {
        "event" => ScoreChangeCause.Event,
        "publish" => ScoreChangeCause.Publish,
        "decay" => ScoreChangeCause.Decay,
        "adjustment" => ScoreChangeCause.Adjustment,
        "field-change" => ScoreChangeCause.FieldChange,
        "automation" => ScoreChangeCause.Automation,
        _ => throw new InvalidDataException($"Unknown score change cause '{text}' in the database."),
    };

    public static string Of(ModelStatus status) => status.ToString().ToLowerInvariant();

    public static ModelStatus ModelStatus(string text) => Enum.Parse<ModelStatus>(text, ignoreCase: true);

    public static string Of(JobState state) => state.ToString().ToLowerInvariant();

    public static JobState JobState(string text) => Enum.Parse<JobState>(text, ignoreCase: true);

    public static string Of(OutcomeKind outcome) => outcome.ToString().ToLowerInvariant();

    public static OutcomeKind Outcome(string text) => Enum.Parse<OutcomeKind>(text, ignoreCase: true);

    public static RecordKind? Target(string target) => target.ToLowerInvariant() switch
    {
        "contact" => Engine.Model.RecordKind.Contact,
        "company" => Engine.Model.RecordKind.Company,
        "deal" => Engine.Model.RecordKind.Deal,
        _ => null,
    };

    public static string Of(DeliveryState state) => state.ToString().ToLowerInvariant();

    public static DeliveryState DeliveryState(string text) => Enum.Parse<DeliveryState>(text, ignoreCase: true);

    public static string Of(ApiKeyScope scope) => scope.ToString().ToLowerInvariant();

    public static ApiKeyScope Scope(string text) => Enum.Parse<ApiKeyScope>(text, ignoreCase: true);
}
