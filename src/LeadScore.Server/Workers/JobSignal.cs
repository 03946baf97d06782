using System.Diagnostics.CodeAnalysis;

namespace LeadScore.Server.Workers;

/// <summary>Wakes the job worker at once when a publish queued a job, instead of at its next poll.</summary>
[SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim needs disposing only once its AvailableWaitHandle is used, and this one lives as long as the server.")]
internal sealed class JobSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        // At most one pending wake-up: a second publish before the worker looks changes nothing.
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}
