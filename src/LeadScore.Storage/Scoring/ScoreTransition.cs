using LeadScore.Engine.Automations;
using LeadScore.Engine.Model;

namespace LeadScore.Storage.Scoring;

/// <summary>
/// A stored score that changed in this transaction: before (null for a first score) and after,
/// with the explanation, for the automations to compare.
/// </summary>
internal sealed record ScoreTransition(string ModelKey, RecordKind Kind, string RecordId, ScoreState? Before, ScoreState After, string Line, ChangeReason Reason);
