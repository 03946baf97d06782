using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using LeadScore.Engine.Model;
using LeadScore.Server.Http;
using Microsoft.OpenApi;

namespace LeadScore.Server.Features.Models;

// The scoring model's JSON (docs/scoring-model.md) as the OpenAPI document describes it, for the document
// only: the engine reads the JSON by hand (Engine/Parsing/ModelReader), and its reading decides. These
// types say what it reads: each object's properties, the required ones, the words it knows, the shape of
// a duration or a date, and that any other property is an error. What the validator checks across the
// model (unique keys, a rule's category exists, budgets, a rule has 'when' or 'event') is the 422's.

[JsonLanguage]
[Description("A scoring model (docs/scoring-model.md). An unknown property is an error; names are case-sensitive.")]
internal sealed record ModelDocument(
    [property: MinLength(1)] string Key,
    [property: MinLength(1)] IReadOnlyList<ModelCategory> Categories,
    IReadOnlyList<ModelRule> Rules,
    [property: JsonPropertyName("$schema"), Description("Ignored: lets an editor attach a JSON schema")] string? Schema = null,
    [property: Description("Display name; the key when absent")] string? Name = null,
    string? Description = null,
    RecordKind Target = RecordKind.Contact,
    [property: Range(1, 1_000_000), Description("The most points a lead can have; at most 100 with the composite encoding")] int Scale = ScoringModel.DefaultScale,
    ScoreEncoding Encoding = ScoreEncoding.Composite,
    [property: Description("Must-haves; each one met adds 100 to a composite score")] IReadOnlyList<ModelGuard>? Requirements = null,
    [property: Description("A match scores 0 and names the reason")] IReadOnlyList<ModelGuard>? Disqualifiers = null,
    [property: Description("The thousands digit of a composite score: the first entry that matches")] IReadOnlyList<ModelSegment>? Segment = null,
    IReadOnlyList<ModelThreshold>? Thresholds = null,
    IReadOnlyList<ModelGrade>? Grades = null);

[JsonLanguage]
internal sealed record ModelCategory(
    [property: MinLength(1)] string Key,
    Dimension Dimension,
    [property: Description("The most the category adds; 0 or more")] double Budget,
    string? Name = null);

[JsonLanguage]
[Description("A requirement (met when the condition holds) or a disqualifier (matches when it holds)")]
internal sealed record ModelGuard([property: MinLength(1)] string Key, ModelCondition When, string? Name = null);

[JsonLanguage]
internal sealed record ModelSegment([property: Range(0, 9)] int Digit, ModelCondition When, string? Name = null);

[JsonLanguage]
[Description("A named point level (MQL, SQL), reached by a qualified lead with at least these points")]
internal sealed record ModelThreshold([property: MinLength(1)] string Key, double Points, string? Name = null);

[JsonLanguage]
internal sealed record ModelGrade([property: MinLength(1)] string Grade, double Min);

[JsonLanguage]
[Description("What earns or loses points: a condition on fields ('when'), a behaviour ('event'), or both")]
internal sealed record ModelRule(
    [property: MinLength(1)] string Key,
    [property: MinLength(1), Description("The key of one of the model's categories")] string Category,
    [property: Description("Negative points remove points")] double Points,
    string? Name = null,
    string? Description = null,
    [property: Description("Stars a conversion behaviour; it does not change the points")] bool Critical = false,
    ModelCondition? When = null,
    ModelEvent? Event = null,
    [property: Description("once: the points once; occurrence: for each matching event (needs 'event')")] RuleAward Per = RuleAward.Once,
    [property: Description("With per occurrence: the most the rule adds")] double? MaxPoints = null,
    ModelDecay? Decay = null);

/// <summary>How a behaviour rule awards its points; the engine's <see cref="Award"/> in the words the format uses.</summary>
internal enum RuleAward
{
    Once,
    Occurrence,
}

[JsonLanguage]
[Description("A behaviour: events of a type, optionally filtered on their properties, recent enough, and counted")]
internal sealed record ModelEvent(
    [property: MinLength(1), Description("The event type, compared without regard to case")] string Type,
    [property: Description("A condition on the event's properties; it cannot contain 'event'")] ModelCondition? Where = null,
    [property: RegularExpression(ModelDocumentPatterns.Duration), Description("Only events less than this old count")] string? Within = null,
    EventCount? Count = null);

[JsonLanguage, JsonKinds(JsonSchemaType.Integer | JsonSchemaType.Object)]
[Description("How many matching events are needed: a whole number n (at least n), or one comparison such as {\"gte\": 2}")]
internal sealed record EventCount(
    [property: Range(0, int.MaxValue)] int? Eq = null,
    [property: Range(0, int.MaxValue)] int? Gt = null,
    [property: Range(0, int.MaxValue)] int? Gte = null,
    [property: Range(0, int.MaxValue)] int? Lt = null,
    [property: Range(0, int.MaxValue)] int? Lte = null);

/// <summary>Exactly one of its kinds: each has its one property, and no other.</summary>
[JsonLanguage]
[JsonDerivedType(typeof(ExpiresAfter))]
[JsonDerivedType(typeof(HalfLife))]
[Description("How a behaviour's points fade with age: exactly one of expiresAfter and halfLife")]
internal abstract record ModelDecay
{
    internal sealed record ExpiresAfter([property: JsonPropertyName("expiresAfter"), RegularExpression(ModelDocumentPatterns.Duration)] string After) : ModelDecay;

    internal sealed record HalfLife([property: JsonPropertyName("halfLife"), RegularExpression(ModelDocumentPatterns.Duration)] string Length) : ModelDecay;
}

/// <summary>
/// A condition is one of five objects, told apart by their properties: a test of one field, all or any
/// of a list, the opposite of one, or a behaviour.
/// </summary>
[JsonLanguage]
[JsonDerivedType(typeof(OnField))]
[JsonDerivedType(typeof(AllOf))]
[JsonDerivedType(typeof(AnyOf))]
[JsonDerivedType(typeof(Negated))]
[JsonDerivedType(typeof(Behaviour))]
[Description("A condition: a field and exactly one operator ({\"field\": \"country\", \"in\": [\"US\", \"CA\"]}), or exactly one of all, any, not and event")]
internal abstract record ModelCondition
{
    [Description("A test of one field with exactly one operator; a field that is missing matches nothing but 'missing'")]
    internal sealed record OnField(
        [property: MinLength(1)] string Field,
        ConditionValue? Eq = null,
        ConditionValue? Neq = null,
        [property: MinLength(1)] IReadOnlyList<ConditionValue>? In = null,
        [property: MinLength(1)] IReadOnlyList<ConditionValue>? NotIn = null,
        [property: MinLength(1)] string? Contains = null,
        [property: MinLength(1)] string? StartsWith = null,
        [property: MinLength(1)] string? EndsWith = null,
        [property: MinLength(1), Description("A .NET regular expression")] string? Matches = null,
        ConditionBound? Gt = null,
        ConditionBound? Gte = null,
        ConditionBound? Lt = null,
        ConditionBound? Lte = null,
        [property: MinLength(2), MaxLength(2), Description("Two bounds, both included, both numbers or both dates")] IReadOnlyList<ConditionBound>? Between = null,
        [property: Description("true (or false for the opposite)")] bool? Exists = null,
        [property: Description("true (or false for the opposite)")] bool? Missing = null,
        [property: RegularExpression(ModelDocumentPatterns.IsoDate)] string? Before = null,
        [property: RegularExpression(ModelDocumentPatterns.IsoDate)] string? After = null,
        [property: RegularExpression(ModelDocumentPatterns.Duration)] string? WithinLast = null) : ModelCondition;

    internal sealed record AllOf([property: MinLength(1)] IReadOnlyList<ModelCondition> All) : ModelCondition;

    internal sealed record AnyOf([property: MinLength(1)] IReadOnlyList<ModelCondition> Any) : ModelCondition;

    internal sealed record Negated(ModelCondition Not) : ModelCondition;

    internal sealed record Behaviour(ModelEvent Event) : ModelCondition;
}

[JsonKinds(JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean)]
[Description("Text (not empty), a number, or true/false")]
internal sealed record ConditionValue;

[JsonKinds(JsonSchemaType.Number | JsonSchemaType.String)]
[Description("A number, or an ISO 8601 date or instant (\"2026-01-31\")")]
internal sealed record ConditionBound;

/// <summary>The shapes of text the model format reads, as JSON Schema patterns.</summary>
internal static class ModelDocumentPatterns
{
    /// <summary>A positive whole number and a unit: "12h", "30d", "2w" (Engine/Values/Duration).</summary>
    public const string Duration = "^0*[1-9][0-9]*[hdwHDW]$";

    /// <summary>What an ISO 8601 date or instant starts with (Engine/Values/IsoDate); the rest must parse as one.</summary>
    public const string IsoDate = "^[0-9]{4}-[0-9]{2}-[0-9]{2}";
}
