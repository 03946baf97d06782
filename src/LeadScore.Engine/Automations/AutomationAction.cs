using System.Collections.Immutable;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Automations;

/// <summary>One step of an automation; the steps run in order, each seeing the fields the ones before it set.</summary>
public abstract record AutomationAction
{
    public abstract string Type { get; }
}

/// <summary>Posts the change to a URL through the durable outbox, signed with the automation's secret.</summary>
public sealed record WebhookAction(Uri Url) : AutomationAction
{
    public override string Type => "webhook";
}

/// <summary>Sets the boolean field <c>tag.{Tag}</c>, which rules and conditions can test.</summary>
public sealed record AddTagAction(string Tag) : AutomationAction
{
    public override string Type => "add-tag";
}

/// <summary>Removes the field <c>tag.{Tag}</c>.</summary>
public sealed record RemoveTagAction(string Tag) : AutomationAction
{
    public override string Type => "remove-tag";
}

/// <summary>Sets <c>lifecycleStage</c>, and <c>lifecycle.{stage}</c> to the date the stage was first reached.</summary>
public sealed record SetLifecycleStageAction(LifecycleStage Stage) : AutomationAction
{
    public override string Type => "set-lifecycle-stage";
}

/// <summary>
/// Sets <c>owner</c>: the next name of a round-robin list, or the name mapped from a field's value
/// (<see cref="Otherwise"/> when no entry matches). A contact that has an owner keeps it unless
/// <see cref="Overwrite"/>.
/// </summary>
public sealed record AssignOwnerAction(
    ImmutableArray<string> RoundRobin,
    string? ByField,
    ImmutableDictionary<string, string> Owners,
    string? Otherwise,
    bool Overwrite) : AutomationAction
{
    public override string Type => "assign-owner";
}

/// <summary>Adds points to the contact under the automation's model, in a category, with a reason and an optional expiry.</summary>
public sealed record AdjustScoreAction(string Category, double Points, string Reason, Duration? ExpiresAfter) : AutomationAction
{
    public override string Type => "adjust-score";
}

/// <summary>Sets <c>list.{List}</c> to the date the contact joined the nurture list (kept when already a member).</summary>
public sealed record AddToListAction(string List) : AutomationAction
{
    public override string Type => "add-to-list";
}
