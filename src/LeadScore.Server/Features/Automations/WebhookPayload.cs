using System.ComponentModel;
using System.Text.Json;
using LeadScore.Server.Http;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Automations;

// The body a webhook action posts (docs/automations.md#webhooks), as a delivery's payload shows it, for the
// OpenAPI document only: the store writes it when the automation fires, and keeps it for every retry.

[Description("What a webhook action posts: the change as it stood when the automation fired (docs/automations.md#webhooks)")]
internal sealed record WebhookPayload(
    [property: Description("De-duplicate by it: delivery is at least once")] string DeliveryId,
    [property: Description("automation.fired")] string Type,
    DateTimeOffset OccurredAt,
    string Workspace,
    WebhookAutomation Automation,
    [property: Description("The trigger as the automation's author wrote it")] AutomationTrigger Trigger,
    [property: Description("The trigger in words, as it fired")] string Fired,
    WebhookContact Contact,
    [property: Description("The score before the change; null for a first score")] WebhookScore? Before,
    [property: Description("The score after it; null when the contact has none under the model")] WebhookScore? After,
    string? Model = null,
    [property: DocumentedAs(typeof(ScoreExplanation))] JsonElement? Explanation = null,
    [property: Description("The event that fired an event-received trigger")] WebhookEvent? Event = null,
    [property: Description("What changed the score, for the other triggers")] WebhookCause? Cause = null);

internal sealed record WebhookAutomation(string Id, string Name);

[Description("The contact as the actions before this one left it")]
internal sealed record WebhookContact(string Id, IReadOnlyDictionary<string, FieldScalar> Fields, string? Email = null);

internal sealed record WebhookScore(int Score, int Points, string? Grade, IReadOnlyList<string> Thresholds, bool Qualified, bool Disqualified, bool RequirementsMet);

internal sealed record WebhookEvent(string Id, string Type, DateTimeOffset OccurredAt, IReadOnlyDictionary<string, FieldScalar>? Properties = null);

internal sealed record WebhookCause(ScoreChangeCause Type, string? Id);
