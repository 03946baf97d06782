using LeadScore.Engine.Scoring;

namespace LeadScore.Engine.Automations;

/// <summary>What makes an automation run for a contact. Score triggers fire once per crossing, on the transition itself.</summary>
public abstract record AutomationTrigger
{
    /// <summary>The trigger's type as the automation format spells it (<c>score-above</c>...).</summary>
    public abstract string Type { get; }

    /// <summary>
    /// What the trigger saw in a score's change from <paramref name="before"/> (null for a first
    /// score) to <paramref name="after"/>, for the run log; null when the change does not cross it.
    /// Event and priority triggers never fire on a score change.
    /// </summary>
    public string? CrossedBy(ScoreState? before, ScoreState after) => this switch
    {
        ScoreAboveTrigger above when (before is null || !above.Level.IsReachedBy(before)) && above.Level.IsReachedBy(after)
            => $"score-above {above.Level}",
        ScoreBelowTrigger below when before is not null && below.Level.IsReachedBy(before) && !below.Level.IsReachedBy(after)
            => $"score-below {below.Level}",
        GradeChangedTrigger grade when before?.Grade != after.Grade
            && (grade.From is null || grade.From == before?.Grade) && (grade.To is null || grade.To == after.Grade)
            => $"grade-changed {before?.Grade ?? "none"} to {after.Grade ?? "none"}",
        RequirementsMetTrigger when before?.RequirementsMet != true && after.RequirementsMet => "requirements-met",
        DisqualifiedTrigger when before?.Disqualified != true && after.Disqualified => "disqualified",
        _ => null,
    };
}

/// <summary>
/// A score level: a threshold of the model by key (<c>mql</c>) or a number of points on the model's
/// scale. Points, not the composite score, so that a lead-type digit (2089) does not count as points.
/// </summary>
public sealed record ScoreLevel(string? Threshold, int? Points)
{
    public bool IsReachedBy(ScoreState state) => Threshold is { } key
        ? state.Thresholds.Contains(key, StringComparer.Ordinal)
        : state.Points >= Points;

    public override string ToString() => Threshold is { } key ? $"threshold '{key}'" : $"{Points} points";
}

/// <summary>The score reached a level it had not reached (a first score counts as coming from below).</summary>
public sealed record ScoreAboveTrigger(ScoreLevel Level) : AutomationTrigger
{
    public override string Type => "score-above";
}

/// <summary>The score fell below a level it had reached: interest faded, points decayed or expired.</summary>
public sealed record ScoreBelowTrigger(ScoreLevel Level) : AutomationTrigger
{
    public override string Type => "score-below";
}

/// <summary>The grade changed, optionally only from or to a given grade.</summary>
public sealed record GradeChangedTrigger(string? From, string? To) : AutomationTrigger
{
    public override string Type => "grade-changed";
}

/// <summary>Every must-have requirement of the model became met.</summary>
public sealed record RequirementsMetTrigger : AutomationTrigger
{
    public override string Type => "requirements-met";
}

/// <summary>A disqualifier of the model started to match.</summary>
public sealed record DisqualifiedTrigger : AutomationTrigger
{
    public override string Type => "disqualified";
}

/// <summary>An event of a type arrived (a critical behaviour such as a demo request); once per new event.</summary>
public sealed record EventReceivedTrigger(string EventType) : AutomationTrigger
{
    public override string Type => "event-received";
}

/// <summary>
/// The contact's predicted priority tier changed (very high, high, medium, low), optionally only from
/// or to a given tier; a first prediction counts as a change from none. Fires when predictions are
/// written (after each training and each daily refresh), not on events.
/// </summary>
public sealed record PriorityChangedTrigger(PriorityTier? From, PriorityTier? To) : AutomationTrigger
{
    public override string Type => "priority-changed";

    public bool Fires(PriorityTier? before, PriorityTier after) =>
        before != after && (From is null || From == before) && (To is null || To == after);
}
