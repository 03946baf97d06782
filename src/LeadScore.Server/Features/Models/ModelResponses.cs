using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Server.Features.Reviews;
using LeadScore.Server.Http;

namespace LeadScore.Server.Features.Models;

/// <summary>A saved draft version and the warnings its validation gave.</summary>
internal sealed record SavedModelResponse(VersionResponse Version, ImmutableArray<ModelDiagnostic> Warnings);

/// <summary>Every model of the workspace.</summary>
internal sealed record ModelsResponse(IReadOnlyList<ModelSummaryResponse> Models);

/// <summary>A model: its target, which version is published (absent when none), the newest, whether it is archived, and every version.</summary>
internal sealed record ModelSummaryResponse(string Key, RecordKind Target, int? Published, int Latest, bool Archived, IReadOnlyList<VersionResponse> Versions);

/// <summary>The versions of one model.</summary>
internal sealed record ModelVersionsResponse(string Key, IReadOnlyList<VersionResponse> Versions);

/// <summary>One version with its definition, the JSON of docs/scoring-model.md.</summary>
internal sealed record ModelDefinitionResponse(VersionResponse Version, [property: DocumentedAs(typeof(ModelDocument))] JsonElement Definition);

/// <summary>What validating a model found: errors (each with its JSON path) and warnings.</summary>
internal sealed record ValidationResponse(bool Valid, ImmutableArray<ModelDiagnostic> Errors, ImmutableArray<ModelDiagnostic> Warnings);

/// <summary>
/// A stored review: its period and headline figures and, when asked for one review, the whole report
/// (<c>review</c>: the JSON of GET /models/{key}/review). <c>draftVersion</c> and <c>verdict</c> are
/// written even when null, as they always were; <c>review</c> is left out of lists.
/// </summary>
internal sealed record StoredReviewResponse(
    long Id, string Model, int ModelVersion, DateTimeOffset ReviewedAt, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo, bool Scheduled,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? DraftVersion,
    int Leads, int Converted, double Auc,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Verdict,
    [property: DocumentedAs(typeof(ReviewDocument))] JsonElement? Review);

/// <summary>A model's stored reviews, newest first.</summary>
internal sealed record StoredReviewsResponse(IReadOnlyList<StoredReviewResponse> Reviews);
