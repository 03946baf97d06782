using System.Collections.Immutable;

namespace LeadScore.Storage.Records;

/// <summary>
/// One time an automation ran for a contact: what triggered it (a crossing under a model, an event,
/// or the apply-to-existing pass), and what each action did.
/// </summary>
public sealed record AutomationRun(
    long Id,
    string AutomationId,
    string ContactId,
    string Trigger,
    string? ModelKey,
    int? ScoreBefore,
    int? ScoreAfter,
    string? CauseId,
    DateTimeOffset At,
    ImmutableArray<string> Actions);
