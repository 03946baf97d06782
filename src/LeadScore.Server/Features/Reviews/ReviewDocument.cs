using System.ComponentModel;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Review;
using LeadScore.Server.Features.Models;

namespace LeadScore.Server.Features.Reviews;

// A review's JSON as ReviewJson writes it (GET /models/{key}/review, a stored review's 'review'), for the
// OpenAPI document only: the report and the backtest are the engine's records, written as they are; the
// proposal is written by hand, with the proposed model as an object.

[Description("A review of the published version (docs/review.md): the report, and the proposal made from it or why there is none")]
internal sealed record ReviewDocument(ScoreReviewReport Report, ReviewProposal? Proposal, string? ProposalRefused);

[Description("The suggested model: what changes and why, the validator's warnings on it, and its backtest beside the published version")]
internal sealed record ReviewProposal(
    bool ChangesAnything,
    IReadOnlyList<ReviewChange> Changes,
    IReadOnlyList<ModelDiagnostic> Warnings,
    BacktestReport Backtest,
    [property: Description("The proposed model, ready to save as a draft")] ModelDocument Model);

[Description("One line of the proposal's diff: a rule's or threshold's points before and after (null when added or removed), the evidence, and the line in words")]
internal sealed record ReviewChange(ChangeKind Kind, string Subject, string? Before, string? After, string Why, string Text);
