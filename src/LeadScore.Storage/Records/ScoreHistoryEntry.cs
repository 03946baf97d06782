using System.Collections.Immutable;
using LeadScore.Engine.Model;

namespace LeadScore.Storage.Records;

/// <summary>One change of a stored score: from what to what, when, and why.</summary>
public sealed record ScoreHistoryEntry(
    RecordKind Kind,
    string RecordId,
    string ModelKey,
    int ModelVersion,
    DateTimeOffset At,
    int? OldScore,
    int NewScore,
    int? OldPoints,
    int NewPoints,
    string? Grade,
    ImmutableArray<string> Thresholds,
    ScoreChangeCause Cause,
    string? CauseId);
