using System.Diagnostics.CodeAnalysis;
using LeadScore.Engine.Model;
using LeadScore.Server.Features.Reviews;
using LeadScore.Server.Hosting;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Workers;

/// <summary>
/// The method's seventh step on a schedule: every <see cref="ReviewEveryDays"/> days after a contact
/// model is published (or last reviewed), reviews it over the last 30 days, stores the review and saves
/// its proposal as a draft version for a person to backtest and publish. Nothing is published by itself.
/// Several servers may check at once; the store keeps one review per model and due day.
/// </summary>
internal sealed class ReviewScheduler(ILeadStore store, ModelReviews reviews, ServerOptions options, ILogger<ReviewScheduler> log) : BackgroundService
{
    public const int ReviewEveryDays = 30;

    [SuppressMessage("Design", "CA1031", Justification = "A background loop must outlive one failed round: it logs the failure and tries again.")]
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var workspace in await store.Workspaces.ListWorkspacesAsync(stoppingToken))
                {
                    await ReviewDueModelsAsync(workspace, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogError(ex, "The review schedule failed; looking again in {Interval}", options.ReviewCheckInterval);
            }

            try
            {
                await Task.Delay(options.ReviewCheckInterval, options.Time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReviewDueModelsAsync(WorkspaceId workspace, CancellationToken stoppingToken)
    {
        var now = options.Time.GetUtcNow();
        var versions = await store.Models.GetModelVersionsAsync(workspace, null, stoppingToken);
        foreach (var published in versions.Where(v => v.Status == ModelStatus.Published && v.Target == RecordKind.Contact))
        {
            var last = (await store.Reviews.ListModelReviewsAsync(workspace, published.Key, stoppingToken)).FirstOrDefault();
            var since = last?.ReviewedAt ?? published.PublishedAt ?? published.CreatedAt;
            if (now - since < TimeSpan.FromDays(ReviewEveryDays))
            {
                continue;
            }

            var run = await Task.Run(() => reviews.ReviewAsync(workspace, published.Key, TimeSpan.FromDays(ModelReviews.DefaultSinceDays), cancellationToken: stoppingToken), stoppingToken)
                .WaitAsync(stoppingToken);
            if (run.Review is null)
            {
                log.LogWarning("Could not review model {Model} of workspace {Workspace}: {Problem}", published.Key, workspace, run.Problem);
                continue;
            }

            var stored = await reviews.StoreAsync(workspace, run, saveDraft: true, DateOnly.FromDateTime(now.UtcDateTime), stoppingToken);
            if (stored is not null)
            {
                log.LogInformation("Reviewed model {Model} of workspace {Workspace}: review {Review}, AUC {Auc:0.000}, proposal {Draft}",
                    published.Key, workspace, stored.Id, run.Review.Report.Health.Auc, stored.DraftVersion is { } draft ? $"draft v{draft}" : run.Review.ProposalRefused ?? "changes nothing");
            }
        }
    }
}
