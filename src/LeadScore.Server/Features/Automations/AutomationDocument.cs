using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using LeadScore.Engine.Automations;
using LeadScore.Server.Features.Models;
using LeadScore.Server.Http;

namespace LeadScore.Server.Features.Automations;

// An automation's JSON (docs/automations.md) as the OpenAPI document describes it, for the document only:
// the engine reads the JSON by hand (Engine/Automations/AutomationJson), and its reading decides. A trigger
// and an action are told apart by their 'type', and each type takes its own properties and no other. What
// only the model can tell (its thresholds, grades and categories) and the webhook target policy are the 422's.
// AutomationTrigger and AutomationAction here are the JSON of the engine's types of those names.

[JsonLanguage]
[Description("An automation (docs/automations.md): when its trigger fires for a contact that passes its conditions, its actions run in order")]
internal sealed record AutomationDocument(
    [property: MinLength(1), MaxLength(AutomationJson.MaxNameLength)] string Name,
    AutomationTrigger Trigger,
    [property: MinLength(1), MaxLength(AutomationJson.MaxActions)] IReadOnlyList<AutomationAction> Actions,
    [property: MinLength(1), MaxLength(100), Description("The contact model whose scores the trigger watches; required but for event-received and priority-changed")] string? Model = null,
    [property: Description("A condition on the contact's fields in the model format's language; behaviours ('event') are refused here")] ModelCondition? Conditions = null,
    bool Enabled = true,
    [property: Description("A request option, never stored: run the automation once now for the contacts that already stand where its trigger leads")] bool ApplyToExisting = false);

[JsonLanguage]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ScoreAbove), "score-above")]
[JsonDerivedType(typeof(ScoreBelow), "score-below")]
[JsonDerivedType(typeof(GradeChanged), "grade-changed")]
[JsonDerivedType(typeof(RequirementsMet), "requirements-met")]
[JsonDerivedType(typeof(Disqualified), "disqualified")]
[JsonDerivedType(typeof(EventReceived), "event-received")]
[JsonDerivedType(typeof(PriorityChanged), "priority-changed")]
[Description("When the automation runs; its type says which properties it takes")]
internal abstract record AutomationTrigger
{
    [Description("The score reaches a level it had not reached: exactly one of threshold and points")]
    internal sealed record ScoreAbove(
        [property: MinLength(1), MaxLength(100), Description("A threshold key of the model")] string? Threshold = null,
        [property: Range(0, 100_000), Description("Points on the model's scale")] int? Points = null) : AutomationTrigger;

    [Description("The score falls below a level it had reached: exactly one of threshold and points")]
    internal sealed record ScoreBelow(
        [property: MinLength(1), MaxLength(100), Description("A threshold key of the model")] string? Threshold = null,
        [property: Range(0, 100_000), Description("Points on the model's scale")] int? Points = null) : AutomationTrigger;

    [Description("The grade changes (from and to are grades of the model; either or both may be left out)")]
    internal sealed record GradeChanged([property: MinLength(1), MaxLength(20)] string? From = null, [property: MinLength(1), MaxLength(20)] string? To = null) : AutomationTrigger;

    [Description("Every must-have requirement of the model became met")]
    internal sealed record RequirementsMet : AutomationTrigger;

    [Description("A disqualifier started to match")]
    internal sealed record Disqualified : AutomationTrigger;

    [Description("A new event of a type arrived")]
    internal sealed record EventReceived([property: MinLength(1), MaxLength(100)] string EventType) : AutomationTrigger;

    [Description("The contact's predicted priority tier changed (either or both of from and to may be left out)")]
    internal sealed record PriorityChanged(PriorityTierName? From = null, PriorityTierName? To = null) : AutomationTrigger;
}

/// <summary>The tiers as automations name them; the reader also takes any case and very-high.</summary>
internal enum PriorityTierName
{
    [JsonStringEnumMemberName("very high")]
    VeryHigh,
    High,
    Medium,
    Low,
}

[JsonLanguage]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Webhook), "webhook")]
[JsonDerivedType(typeof(AddTag), "add-tag")]
[JsonDerivedType(typeof(RemoveTag), "remove-tag")]
[JsonDerivedType(typeof(SetLifecycleStage), "set-lifecycle-stage")]
[JsonDerivedType(typeof(AssignOwner), "assign-owner")]
[JsonDerivedType(typeof(AdjustScore), "adjust-score")]
[JsonDerivedType(typeof(AddToList), "add-to-list")]
[Description("One step of an automation; its type says which properties it takes")]
internal abstract record AutomationAction
{
    private const string Name = "^[A-Za-z0-9_-]+$";

    [Description("Posts the change, signed, to an http or https URL (private networks are refused unless the server allows them)")]
    internal sealed record Webhook([property: MaxLength(2000)] Uri Url) : AutomationAction;

    [Description("Sets the field tag.{tag} to true")]
    internal sealed record AddTag([property: MaxLength(80), RegularExpression(Name)] string Tag) : AutomationAction;

    [Description("Removes the field tag.{tag}")]
    internal sealed record RemoveTag([property: MaxLength(80), RegularExpression(Name)] string Tag) : AutomationAction;

    [Description("Sets lifecycleStage, and lifecycle.{stage} to when the stage was first reached")]
    internal sealed record SetLifecycleStage(LifecycleStage Stage) : AutomationAction;

    [Description("Sets owner: in turn from roundRobin, or by a field's value (byField, owners, otherwise); exactly one of roundRobin and byField")]
    internal sealed record AssignOwner(
        [property: MinLength(1)] IReadOnlyList<string>? RoundRobin = null,
        [property: MinLength(1), MaxLength(100)] string? ByField = null,
        [property: Description("From a value of byField (compared ignoring case) to an owner; required with byField")] IReadOnlyDictionary<string, string>? Owners = null,
        [property: MinLength(1), MaxLength(200), Description("The owner when no value matches")] string? Otherwise = null,
        [property: Description("Replace an owner the contact already has")] bool Overwrite = false) : AutomationAction;

    [Description("Adds points under a category of the automation's model")]
    internal sealed record AdjustScore(
        [property: MinLength(1), MaxLength(100)] string Category,
        [property: Range(-1000, 1000), Description("Not 0; negative to remove points")] double Points,
        [property: MinLength(1), MaxLength(500)] string Reason,
        [property: MaxLength(20), RegularExpression(ModelDocumentPatterns.Duration)] string? ExpiresAfter = null) : AutomationAction;

    [Description("Sets the field list.{list} to when the contact joined the list")]
    internal sealed record AddToList([property: MaxLength(80), RegularExpression(Name)] string List) : AutomationAction;
}
