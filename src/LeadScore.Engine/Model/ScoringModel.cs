using System.Collections.Immutable;

namespace LeadScore.Engine.Model;

/// <summary>
/// A scoring model as written by its authors: categories with budgets, rules, must-haves,
/// disqualifiers, segments, thresholds and grades. It is data; <see cref="Compilation.CompiledModel"/>
/// is the form that scores.
/// </summary>
public sealed record ScoringModel(
    string Key,
    string Name,
    RecordKind Target,
    int Scale,
    ScoreEncoding Encoding,
    ImmutableArray<Category> Categories,
    ImmutableArray<Requirement> Requirements,
    ImmutableArray<Disqualifier> Disqualifiers,
    ImmutableArray<SegmentEntry> Segments,
    ImmutableArray<Rule> Rules,
    ImmutableArray<Threshold> Thresholds,
    ImmutableArray<GradeBand> Grades,
    string? Description = null)
{
    public const int DefaultScale = 100;

    /// <summary>Composite scores keep points in two digits and requirements in one.</summary>
    public const int MaxCompositePoints = 99;

    public const int MaxCompositeRequirements = 9;
}
