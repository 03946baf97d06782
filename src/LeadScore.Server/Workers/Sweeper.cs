using System.Diagnostics.CodeAnalysis;
using LeadScore.Server.Hosting;
using LeadScore.Storage;

namespace LeadScore.Server.Workers;

/// <summary>
/// Re-scores, every <see cref="ServerOptions.SweepInterval"/>, the scores whose points expire or decay
/// by now. With several servers on one PostgreSQL only one sweeps at a time (the store's advisory lock).
/// </summary>
internal sealed class Sweeper(ILeadStore store, ServerOptions options, ILogger<Sweeper> log) : BackgroundService
{
    [SuppressMessage("Design", "CA1031", Justification = "A background loop must outlive one failed round: it logs the failure and tries again.")]
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, options.Time);
        do
        {
            try
            {
                int swept;
                do
                {
                    swept = await store.Scores.SweepAsync(10_000, stoppingToken);
                    if (swept > 0)
                    {
                        log.LogInformation("Swept {Count} scores whose points expired or decayed", swept);
                    }
                }
                while (swept == 10_000);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Sweeping failed; retrying in {Interval}", options.SweepInterval);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
