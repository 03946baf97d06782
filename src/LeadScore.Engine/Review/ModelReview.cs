using System.Collections.Immutable;
using System.Globalization;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;

namespace LeadScore.Engine.Review;

/// <summary>
/// The monthly review of one model: the report (how its scores compared with outcomes) and the
/// proposal made from it, or why there is none. A proposal is made only when the same method, fitted on
/// older data, beat the published model on newer data by more than the noise (<see cref="Validation"/>);
/// otherwise the review keeps the published model and shows what it would change (<see cref="Unconfirmed"/>).
/// Each rule row carries the points the proposal suggests.
/// </summary>
public sealed record ModelReview(ScoreReviewReport Report, ModelProposal? Proposal, string? ProposalRefused)
{
    /// <summary>The out-of-time evidence the proposal was judged on; null when no proposal could be fitted at all.</summary>
    public OutOfTimeValidation? Validation { get; init; }

    /// <summary>The proposal the out-of-time evidence did not confirm: what the review would change if more data confirms it. Never saved as a draft.</summary>
    public ModelProposal? Unconfirmed { get; init; }

    /// <summary>Fields that rank the outcome better alone than the rest of the evidence together: left out of the traits and of the proposal.</summary>
    public ImmutableArray<LeakyField> LeakyFields { get; init; } = [];

    /// <summary>What a person should look at: published rules that matched no lead in the period, leaky fields left out.</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>For each behaviour rule, the window or half-life that best separates converters from the rest, when it is not the rule's own.</summary>
    public ImmutableArray<WindowSuggestion> WindowSuggestions { get; init; } = [];

    /// <summary>Reviews <paramref name="published"/> (whose JSON is <paramref name="publishedJson"/>) over <paramref name="leads"/>, and proposes a better model.</summary>
    public static ModelReview Run(
        CompiledModel published, string publishedJson, ReviewPeriod period, IReadOnlyList<ReviewedLead> leads, ProposalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(leads);
        return Run(published, publishedJson, period, [.. leads.Select(LeadTimeline.Of)], options);
    }

    /// <summary>
    /// Reviews <paramref name="published"/> over the leads of <paramref name="period"/> drawn from
    /// <paramref name="history"/>; the history before the period feeds the rolling backtest.
    /// </summary>
    public static ModelReview Run(
        CompiledModel published, string publishedJson, ReviewPeriod period, IReadOnlyList<LeadTimeline> history, ProposalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(publishedJson);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(history);
        options ??= new ProposalOptions();
        var leads = history.Select(h => h.In(period)).OfType<ReviewedLead>().ToList();

        // Scored once: the report, the proposal's fit and its backtest all read these cards.
        var judged = ScoreReview.Judge(published, leads);
        var leaky = LeakageCheck.Check(published.Model, judged, options.ExcludedFields);
        var leftOut = options with { ExcludedFields = [.. options.ExcludedFields, .. leaky.Select(f => f.Field)] };
        var report = WithoutTraitsOn(ScoreReview.Review(published.Model, period, judged), leftOut.ExcludedFields);
        var warnings = WarningsOf(report, leaky);
        var windows = BehaviourWindows.Suggest(published, publishedJson, judged);
        var proposal = ReviewProposer.Propose(published, publishedJson, period, judged, report, leftOut);
        if (proposal.Proposal is not { } proposed)
        {
            return new ModelReview(report, null, proposal.Refused) { LeakyFields = leaky, Warnings = warnings, WindowSuggestions = windows };
        }

        var validation = OutOfTimeCheck.Validate(published, period, history, leftOut, (fitted, fittedLeads) =>
        {
            var fittedJudged = ScoreReview.Judge(published, fittedLeads);
            var fittedReport = WithoutTraitsOn(ScoreReview.Review(published.Model, fitted, fittedJudged), leftOut.ExcludedFields);
            return ReviewProposer.Propose(published, publishedJson, fitted, fittedJudged, fittedReport, leftOut);
        });
        if (!validation.Confirmed)
        {
            return new ModelReview(report, null, $"keep the published model: {validation.Verdict}")
            {
                Validation = validation,
                Unconfirmed = proposed,
                LeakyFields = leaky,
                Warnings = warnings,
                WindowSuggestions = windows,
            };
        }

        report = report with { Rules = [.. report.Rules.Select(row => WithSuggestion(row, proposed.Model))] };
        return new ModelReview(report, proposed, null) { Validation = validation, LeakyFields = leaky, Warnings = warnings, WindowSuggestions = windows };
    }

    private static ScoreReviewReport WithoutTraitsOn(ScoreReviewReport report, IReadOnlyCollection<string> fields) => fields.Count == 0 ? report : report with
    {
        LowScoreConverters = report.LowScoreConverters with { Traits = [.. report.LowScoreConverters.Traits.Where(t => t.Field is null || !LeakageCheck.IsExcluded(t.Field, fields))] },
        HighScoreNonConverters = report.HighScoreNonConverters with { Traits = [.. report.HighScoreNonConverters.Traits.Where(t => t.Field is null || !LeakageCheck.IsExcluded(t.Field, fields))] },
    };

    private static ImmutableArray<string> WarningsOf(ScoreReviewReport report, ImmutableArray<LeakyField> leaky) =>
    [
        .. report.Rules.Where(r => r.Fires == 0).Select(r =>
            $"rule {r.Rule} matched no lead in the period: a rule that never fires is usually a typo in a field or event name, or a value of the wrong type"),
        .. leaky.Select(f =>
            $"field {f.Field} alone ranks the outcome better (ROC-AUC {Auc(f.Auc)}) than the other rules together ({Auc(f.RestAuc)}): it may be written after the outcome, " +
            "so the review proposes nothing on it (leave it out with --exclude, or the workspace's excluded fields, to stop this warning)"),
    ];

    private static string Auc(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static RuleRow WithSuggestion(RuleRow row, ScoringModel proposed) =>
        proposed.Rules.FirstOrDefault(r => r.Key == row.Rule) is { } rule
            ? row with { SuggestedPoints = rule.Points, SuggestedMaxPoints = rule.MaxPoints }
            : row with { SuggestedPoints = 0 };
}
