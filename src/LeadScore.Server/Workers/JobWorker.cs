using System.Diagnostics.CodeAnalysis;
using LeadScore.Server.Hosting;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Workers;

/// <summary>
/// Runs the re-score jobs that publishing queues, including those a stopped process left unfinished.
/// With several servers on one PostgreSQL each job is claimed by one of them (the store's lease);
/// the others see it claimed and leave it.
/// </summary>
internal sealed class JobWorker(ILeadStore store, JobSignal signal, ServerOptions options, ILogger<JobWorker> log) : BackgroundService
{
    [SuppressMessage("Design", "CA1031", Justification = "A background loop must outlive one failed round: it logs the failure and tries again.")]
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (workspace, job) in await store.Models.GetUnfinishedJobsAsync(stoppingToken))
                {
                    // The store reports each step this process committed. Without a last step that ended the job,
                    // another process holds its lease or ended it between the listing and this call.
                    var steps = new LastStep();
                    var finished = await store.Models.RunJobAsync(workspace, job.Id, steps, stoppingToken);
                    if (steps.Last?.State is not (JobState.Completed or JobState.Cancelled))
                    {
                        continue;
                    }

                    log.LogInformation("Job {JobId} ({Kind} {Model} v{Version}) in {Workspace}: {State}, {Done} of {Total}",
                        finished.Id, finished.Kind, finished.ModelKey, finished.ModelVersion, workspace, finished.State, finished.Done, finished.Total);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database hiccup must not end the worker: the job resumes from its last committed step next time.
                log.LogError(ex, "Running jobs failed; retrying after {Interval}", options.JobPollInterval);
            }

            try
            {
                await signal.WaitAsync(options.JobPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Keeps the last report as it is made (<see cref="Progress{T}"/> would post it to the thread pool, too late to read).</summary>
    private sealed class LastStep : IProgress<JobStatus>
    {
        public JobStatus? Last { get; private set; }

        public void Report(JobStatus value) => Last = value;
    }
}
