using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Review;
using LeadScore.Engine.Subjects;
using LeadScore.Server.Features.Predictive;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Reviews;

/// <summary>
/// Runs the monthly review and backtests against a store: gathers the period's leads with their
/// outcomes, replays the models over them, and (when asked) stores the review and saves its proposal
/// as a draft. The CLI, the API and the schedule all go through here, so they give the same numbers.
/// </summary>
public sealed class ModelReviews(ILeadStore store, TimeProvider clock)
{
    public const int DefaultSinceDays = 30;

    /// <summary>Reviews the published version of <paramref name="modelKey"/> over the <paramref name="since"/> before <paramref name="until"/> (default: now).</summary>
    public async Task<ReviewRun> ReviewAsync(
        WorkspaceId workspace, string modelKey, TimeSpan since, DateTimeOffset? until = null, ProposalOptions? options = null, CancellationToken cancellationToken = default)
    {
        var published = await PublishedAsync(workspace, modelKey, cancellationToken).ConfigureAwait(false);
        if (published.Problem is { } problem)
        {
            return new ReviewRun(null, null, problem);
        }

        // The fields the workspace keeps out of its predictive model stay out of the review too.
        var settings = PredictiveSettings.Read(await store.Predictive.GetPredictiveSettingsAsync(workspace, cancellationToken).ConfigureAwait(false));
        options ??= new ProposalOptions();
        options = options with { ExcludedFields = [.. options.ExcludedFields, .. settings.ExcludeFields.Where(f => f is not null)] };
        var period = Period(since, until);
        var history = await HistoryAsync(store, workspace, period.To, cancellationToken).ConfigureAwait(false);
        var compiled = CompiledModel.Compile(published.Model!);
        return new ReviewRun(ModelReview.Run(compiled, published.Version!.Definition, period, history, options), published.Version, null);
    }

    /// <summary>
    /// Stores a review and, when it proposes changes and <paramref name="saveDraft"/> is set, saves the
    /// proposal as a draft version of the model. A scheduled review (with its due day) that another
    /// server already stored returns null.
    /// </summary>
    public async Task<StoredModelReview?> StoreAsync(
        WorkspaceId workspace, ReviewRun run, bool saveDraft, DateOnly? scheduledDay = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var review = run.Review ?? throw new ArgumentException("Only a review that ran can be stored.", nameof(run));
        var stored = await store.Reviews.SaveModelReviewAsync(workspace, new ModelReviewInput(
            review.Report.ModelKey, run.Version!.Version, clock.GetUtcNow(), review.Report.Period.From, review.Report.Period.To,
            ReviewJson.Write(review), scheduledDay), cancellationToken).ConfigureAwait(false);
        if (stored is null || !saveDraft || review.Proposal is not { ChangesAnything: true } proposal)
        {
            return stored;
        }

        var draft = await store.Models.SaveModelAsync(workspace, proposal.Json, cancellationToken).ConfigureAwait(false);
        if (draft.Version is not { } version)
        {
            return stored;
        }

        await store.Reviews.SetReviewDraftAsync(workspace, stored.Id, version.Version, cancellationToken).ConfigureAwait(false);
        return stored with { DraftVersion = version.Version };
    }

    /// <summary>Replays <paramref name="draftJson"/> beside the published version of its model over the <paramref name="since"/> before <paramref name="until"/> (default: now).</summary>
    public async Task<BacktestRun> BacktestAsync(
        WorkspaceId workspace, string draftJson, TimeSpan since, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        var parsed = ScoringModelJson.Parse(draftJson);
        if (parsed.Model is not { } draft)
        {
            return new BacktestRun(null, parsed, null);
        }

        var published = await PublishedAsync(workspace, draft.Key, cancellationToken).ConfigureAwait(false);
        if (published.Problem is { } problem)
        {
            return new BacktestRun(null, parsed, problem);
        }

        if (draft.Target != published.Model!.Target)
        {
            return new BacktestRun(null, parsed, new ReviewProblem("wrong-target", $"The draft targets {draft.Target} records, the published model {published.Model.Target} records; a backtest compares models of the same target."));
        }

        var period = Period(since, until);
        var leads = await LeadsAsync(store, workspace, period, cancellationToken).ConfigureAwait(false);
        return new BacktestRun(Backtest.Compare(CompiledModel.Compile(published.Model), CompiledModel.Compile(draft), period, leads), parsed, null);
    }

    /// <summary>
    /// The leads of a period: every contact that was still open at its start (not converted before it)
    /// and known by its end. A converter is judged at the moment of its first conversion, the rest at the
    /// end of the period; events after that moment do not count, so a score is what it was then.
    /// </summary>
    public static async Task<List<ReviewedLead>> LeadsAsync(ILeadStore store, WorkspaceId workspace, ReviewPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        var history = await HistoryAsync(store, workspace, period.To, cancellationToken).ConfigureAwait(false);
        return [.. history.Select(h => h.In(period)).OfType<ReviewedLead>()];
    }

    /// <summary>
    /// Every contact known by <paramref name="until"/>, with when it was first seen and when it first
    /// converted: the leads of the review's period and of the earlier periods its rolling backtest fits on.
    /// A conversion after <paramref name="until"/> is not known yet and does not count.
    /// </summary>
    public static async Task<List<LeadTimeline>> HistoryAsync(ILeadStore store, WorkspaceId workspace, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var history = new List<LeadTimeline>();
        await foreach (var contact in store.Events.ReadContactActivityAsync(workspace, cancellationToken).ConfigureAwait(false))
        {
            var firstSeen = contact.Events.Count > 0 && contact.Events[0].OccurredAt < contact.StoredAt ? contact.Events[0].OccurredAt : contact.StoredAt;
            if (firstSeen > until)
            {
                continue;
            }

            var convertedAt = contact.ConvertedAt <= until ? contact.ConvertedAt : null;
            history.Add(new LeadTimeline(ScoringSubject.ForContact(contact.Id, contact.Fields, contact.Events), firstSeen, convertedAt));
        }

        return history;
    }

    private ReviewPeriod Period(TimeSpan since, DateTimeOffset? until)
    {
        var end = until ?? clock.GetUtcNow();
        return new ReviewPeriod(end - since, end);
    }

    private async Task<(ModelVersion? Version, ScoringModel? Model, ReviewProblem? Problem)> PublishedAsync(
        WorkspaceId workspace, string modelKey, CancellationToken cancellationToken)
    {
        var versions = await store.Models.GetModelVersionsAsync(workspace, modelKey, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return (null, null, new ReviewProblem("unknown-model", $"There is no model '{modelKey}' in this workspace; list the models with GET /api/v1/models or 'leadscore leads'."));
        }

        if (versions.FirstOrDefault(v => v.Status == ModelStatus.Published) is not { } published)
        {
            return (null, null, new ReviewProblem("not-published", $"Model '{modelKey}' has no published version; a review judges the version in use. Publish one first."));
        }

        if (published.Target != RecordKind.Contact)
        {
            return (null, null, new ReviewProblem("wrong-target", $"Model '{modelKey}' scores {published.Target} records; the review judges contact models, whose leads convert."));
        }

        return (published, ScoringModelJson.Parse(published.Definition).Model, null);
    }
}

/// <summary>A review that ran (with the model version it judged), or the reason it could not.</summary>
public sealed record ReviewRun(ModelReview? Review, ModelVersion? Version, ReviewProblem? Problem);

/// <summary>A backtest that ran, the draft's validation (errors when it could not be read), or why it could not run.</summary>
public sealed record BacktestRun(BacktestReport? Report, ModelValidation Draft, ReviewProblem? Problem);

/// <summary>Why a review or backtest could not run: <see cref="Code"/> for programs (unknown-model, not-published, wrong-target), <see cref="Message"/> for people.</summary>
public sealed record ReviewProblem(string Code, string Message)
{
    public override string ToString() => Message;
}
