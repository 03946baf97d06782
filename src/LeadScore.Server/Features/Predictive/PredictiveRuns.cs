using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using LeadScore.Storage;

namespace LeadScore.Server.Features.Predictive;

/// <summary>
/// What this process knows of predictive training: workspaces asked to train now (by the API), the
/// one training at the moment, and each workspace's last run, for the status endpoint.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim needs disposing only once its AvailableWaitHandle is used, and this one lives as long as the server.")]
public sealed class PredictiveRuns
{
    private readonly ConcurrentQueue<WorkspaceId> _requested = new();
    private readonly ConcurrentDictionary<WorkspaceId, PredictiveRunRecord> _last = new();
    private readonly ConcurrentDictionary<WorkspaceId, DateTimeOffset> _running = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    /// <summary>Asks the schedule to train the workspace as soon as it can; false when it is already asked or training.</summary>
    public bool Request(WorkspaceId workspace)
    {
        if (_running.ContainsKey(workspace) || _requested.Contains(workspace))
        {
            return false;
        }

        _requested.Enqueue(workspace);
        _wake.Release();
        return true;
    }

    public bool IsRequested(WorkspaceId workspace) => _requested.Contains(workspace);

    internal bool TryTakeRequest(out WorkspaceId workspace) => _requested.TryDequeue(out workspace);

    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    public DateTimeOffset? TrainingSince(WorkspaceId workspace) => _running.TryGetValue(workspace, out var since) ? since : null;

    public PredictiveRunRecord? Last(WorkspaceId workspace) => _last.GetValueOrDefault(workspace);

    internal void Started(WorkspaceId workspace, DateTimeOffset at) => _running[workspace] = at;

    internal void Finished(WorkspaceId workspace, PredictiveRunRecord record)
    {
        _running.TryRemove(workspace, out _);
        _last[workspace] = record;
    }
}

/// <summary>How a training ended: the version it saved, or why it trained nothing (in words the user can act on).</summary>
public sealed record PredictiveRunRecord(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Result, int? Version, string? Message, int ConversionsSeen);
