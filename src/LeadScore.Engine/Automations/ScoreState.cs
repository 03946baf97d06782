using System.Collections.Immutable;

namespace LeadScore.Engine.Automations;

/// <summary>What the triggers compare of a score before and after a change.</summary>
public sealed record ScoreState(int Score, int Points, string? Grade, ImmutableArray<string> Thresholds, bool Qualified, bool Disqualified, bool RequirementsMet);
