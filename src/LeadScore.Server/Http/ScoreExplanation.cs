using System.ComponentModel;

namespace LeadScore.Server.Http;

// The explanation of a score as the OpenAPI document describes it. The engine writes it (ScoreLine, the
// line offline scoring writes too), so these types only document it (DocumentedAs on
// ScoreResponse.explanation). The record's id is under contact, company or deal, as the model targets.

/// <summary>Why a record has its score: the points of each category and rule, thresholds crossed, adjustments, and when it next changes by itself.</summary>
[Description("Why the record has this score: the line offline scoring writes (docs/scoring-model.md)")]
internal sealed record ScoreExplanation(
    double Score, double Points, int Segment, int RequirementsMet, bool Qualified, bool Disqualified, string? DisqualifiedBy, string? Grade,
    IReadOnlyList<string> Thresholds, IReadOnlyDictionary<string, double> Categories, IReadOnlyList<ExplainedRule> Rules, string? NextChangeAt,
    string? Contact = null, string? Company = null, string? Deal = null, IReadOnlyList<ExplainedAdjustment>? Adjustments = null);

/// <summary>A rule that awarded points: how many events it matched, whether it is critical, whether its maximum capped it.</summary>
internal sealed record ExplainedRule(string Rule, double Points, int? Events = null, bool? Critical = null, bool? Capped = null);

/// <summary>A manual adjustment counted in the score.</summary>
internal sealed record ExplainedAdjustment(string Category, double Points, string Reason, string? ExpiresAt);
