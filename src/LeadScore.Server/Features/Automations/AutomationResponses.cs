namespace LeadScore.Server.Features.Automations;

/// <summary>A saved automation, the secret its webhooks are signed with, and how many existing leads it was applied to (when asked).</summary>
internal sealed record SavedAutomationResponse(AutomationResponse Automation, string Secret, int AppliedToExisting);

/// <summary>The workspace's automations.</summary>
internal sealed record AutomationsResponse(IReadOnlyList<AutomationResponse> Automations);

/// <summary>The secret an automation's webhooks are signed with.</summary>
internal sealed record AutomationSecretResponse(string Secret);
