using System.Diagnostics.CodeAnalysis;
using LeadScore.Server.Features.Predictive;
using LeadScore.Server.Hosting;
using LeadScore.Storage;

namespace LeadScore.Server.Workers;

/// <summary>
/// Keeps every workspace's predictive model fresh: trains when asked (the API), when there is no
/// model yet, every <see cref="PredictiveSettings.RetrainEveryDays"/> days, and when the recorded
/// conversions grew by <see cref="PredictiveSettings.RetrainOnConversionGrowth"/>; between trainings
/// it refreshes the predictions every <see cref="PredictiveSettings.RefreshEveryHours"/> hours, so
/// new activity moves probabilities. Several servers share the work through the store's lease.
/// </summary>
internal sealed class PredictiveScheduler(ILeadStore store, ServerOptions options, PredictiveRuns runs, ILogger<PredictiveScheduler> log) : BackgroundService
{
    // Long enough for a large training; renewed by nothing, so a crashed trainer's lease runs out.
    private static readonly TimeSpan Lease = TimeSpan.FromHours(2);

    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly Dictionary<WorkspaceId, DateTimeOffset> _refreshedAt = [];

    [SuppressMessage("Design", "CA1031", Justification = "A background loop must outlive one failed round: it logs the failure and tries again.")]
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var trainer = new PredictiveTrainer(store, options.Time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (runs.TryTakeRequest(out var requested))
                {
                    await TrainAsync(trainer, requested, "asked", stoppingToken);
                }

                foreach (var workspace in await store.Workspaces.ListWorkspacesAsync(stoppingToken))
                {
                    await KeepFreshAsync(trainer, workspace, stoppingToken);
                }

                await runs.WaitAsync(options.PredictiveCheckInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogError(ex, "The predictive schedule failed; looking again in {Interval}", options.PredictiveCheckInterval);
                try
                {
                    await Task.Delay(options.PredictiveCheckInterval, options.Time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task KeepFreshAsync(PredictiveTrainer trainer, WorkspaceId workspace, CancellationToken stoppingToken)
    {
        var now = options.Time.GetUtcNow();
        var settings = PredictiveSettings.Read(await store.Predictive.GetPredictiveSettingsAsync(workspace, stoppingToken));
        var conversions = await store.Outcomes.CountConversionsAsync(workspace, stoppingToken);
        var latest = (await store.Predictive.ListPredictiveModelsAsync(workspace, stoppingToken)).FirstOrDefault();
        var last = runs.Last(workspace);

        // A refused training is tried again only when something it lacked may have changed.
        var refusedLately = last is { Result: "refused" } && last.ConversionsSeen == conversions && now - last.FinishedAt < TimeSpan.FromDays(settings.RetrainEveryDays);
        var reason = refusedLately ? null
            : latest is null ? (conversions > 0 ? "no model yet" : null)
            : now - latest.TrainedAt >= TimeSpan.FromDays(settings.RetrainEveryDays) ? $"{settings.RetrainEveryDays} days since version {latest.Version}"
            : conversions >= latest.Conversions * (1 + settings.RetrainOnConversionGrowth) && conversions > latest.Conversions
                ? $"conversions grew from {latest.Conversions} to {conversions}"
            : null;
        if (reason is not null)
        {
            await TrainAsync(trainer, workspace, reason, stoppingToken);
            return;
        }

        if (latest is not null && now - _refreshedAt.GetValueOrDefault(workspace, latest.TrainedAt) >= TimeSpan.FromHours(settings.RefreshEveryHours)
            && await store.Predictive.TryLeasePredictiveTrainingAsync(workspace, _holder, Lease, stoppingToken))
        {
            try
            {
                var written = await trainer.RefreshAsync(workspace, stoppingToken);
                _refreshedAt[workspace] = now;
                log.LogInformation("Refreshed {Count} predictions of workspace {Workspace}", written?.Written ?? 0, workspace);
            }
            finally
            {
                await store.Predictive.ReleasePredictiveTrainingAsync(workspace, _holder, CancellationToken.None);
            }
        }
    }

    private async Task TrainAsync(PredictiveTrainer trainer, WorkspaceId workspace, string reason, CancellationToken stoppingToken)
    {
        if (!await store.Predictive.TryLeasePredictiveTrainingAsync(workspace, _holder, Lease, stoppingToken))
        {
            log.LogInformation("Workspace {Workspace} is being trained by another server; not training it here", workspace);
            return;
        }

        var started = options.Time.GetUtcNow();
        runs.Started(workspace, started);
        var conversions = await store.Outcomes.CountConversionsAsync(workspace, stoppingToken);
        PredictiveRunRecord record;
        try
        {
            log.LogInformation("Training the predictive model of workspace {Workspace} ({Reason})", workspace, reason);
            // ML.NET's fitting does not watch the token: on shutdown the training is left to die with the
            // process (it saves in one transaction at its end, so nothing is half-written) and the lease is released.
            var run = await Task.Run(() => trainer.TrainAsync(workspace, stoppingToken), stoppingToken).WaitAsync(stoppingToken);
            record = run switch
            {
                PredictiveRun.Trained trained => new PredictiveRunRecord(started, options.Time.GetUtcNow(), "trained", trained.Model.Version, null, conversions),
                PredictiveRun.Refused refused => new PredictiveRunRecord(started, options.Time.GetUtcNow(), "refused", null, refused.Message, conversions),
                _ => throw new InvalidOperationException("Unknown training result."),
            };
            _refreshedAt[workspace] = options.Time.GetUtcNow();
            log.LogInformation("Predictive training of workspace {Workspace}: {Result} {Message}", workspace, record.Result, record.Message ?? $"version {record.Version}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Predictive training of workspace {Workspace} failed", workspace);
            record = new PredictiveRunRecord(started, options.Time.GetUtcNow(), "failed", null, ex.Message, conversions);
        }
        finally
        {
            await store.Predictive.ReleasePredictiveTrainingAsync(workspace, _holder, CancellationToken.None);
        }

        runs.Finished(workspace, record);
    }
}
