using System.Collections.Immutable;
using LeadScore.Engine.Compilation;

namespace LeadScore.Engine.Automations;

/// <summary>
/// An automation as its author wrote it, read and checked: a trigger on a model's scores (or on
/// arriving events), conditions on the contact's fields, and ordered actions.
/// </summary>
public sealed record AutomationDefinition(
    string Name,
    string? ModelKey,
    AutomationTrigger Trigger,
    FieldFilter? Conditions,
    ImmutableArray<AutomationAction> Actions,
    bool Enabled);
