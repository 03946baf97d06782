using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;

namespace LeadScore.Engine.Review;

/// <summary>
/// The monthly review of one model: the report (how its scores compared with outcomes) and the
/// proposal made from it, or why there is none. Each rule row carries the points the proposal suggests.
/// </summary>
public sealed record ModelReview(ScoreReviewReport Report, ModelProposal? Proposal, string? ProposalRefused)
{
    /// <summary>Reviews <paramref name="published"/> (whose JSON is <paramref name="publishedJson"/>) over <paramref name="leads"/>, and proposes a better model.</summary>
    public static ModelReview Run(
        CompiledModel published, string publishedJson, ReviewPeriod period, IReadOnlyList<ReviewedLead> leads, ProposalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(publishedJson);
        ArgumentNullException.ThrowIfNull(period);
        // Scored once: the report, the proposal's fit and its backtest all read these cards.
        var judged = ScoreReview.Judge(published, leads);
        var report = ScoreReview.Review(published.Model, period, judged);
        var proposal = ReviewProposer.Propose(published, publishedJson, period, judged, report, options ?? new ProposalOptions());
        if (proposal.Proposal is { } proposed)
        {
            report = report with { Rules = [.. report.Rules.Select(row => WithSuggestion(row, proposed.Model))] };
        }

        return new ModelReview(report, proposal.Proposal, proposal.Refused);
    }

    private static RuleRow WithSuggestion(RuleRow row, ScoringModel proposed) =>
        proposed.Rules.FirstOrDefault(r => r.Key == row.Rule) is { } rule
            ? row with { SuggestedPoints = rule.Points, SuggestedMaxPoints = rule.MaxPoints }
            : row with { SuggestedPoints = 0 };
}
