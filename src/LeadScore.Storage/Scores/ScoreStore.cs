using LeadScore.Engine.Model;
using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Scores;

/// <summary>
/// Current scores with their explanations, their history, manual adjustments, and the sweep that re-scores what time changes.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Scores</c>.
/// </summary>
public sealed class ScoreStore
{
    private readonly SqlLeadStore _sql;

    internal ScoreStore(SqlLeadStore sql) => _sql = sql;

    public Task<StoredScore?> GetScoreAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, CancellationToken cancellationToken = default) =>
        _sql.GetScoreAsync(workspace, modelKey, kind, recordId, cancellationToken);

    /// <summary>Current scores, ordered by model then record id; all published models when <paramref name="modelKey"/> is null.</summary>
    public IAsyncEnumerable<StoredScore> ListScoresAsync(WorkspaceId workspace, string? modelKey = null, CancellationToken cancellationToken = default) =>
        _sql.ListScoresAsync(workspace, modelKey, cancellationToken);

    public Task<IReadOnlyList<ScoreHistoryEntry>> GetHistoryAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, CancellationToken cancellationToken = default) =>
        _sql.GetHistoryAsync(workspace, modelKey, kind, recordId, cancellationToken);

    /// <summary>The score a record had at an instant, from its history; null when it had none yet.</summary>
    public Task<ScoreHistoryEntry?> GetScoreAtAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _sql.GetScoreAtAsync(workspace, modelKey, kind, recordId, at, cancellationToken);

    /// <summary>Adds a manual adjustment and re-scores the contact under that model.</summary>
    public Task<StoreResult<StoredScore>> AddAdjustmentAsync(WorkspaceId workspace, AdjustmentInput adjustment, CancellationToken cancellationToken = default) =>
        _sql.AddAdjustmentAsync(workspace, adjustment, cancellationToken);

    /// <summary>
    /// Re-scores the records whose score changes by itself by now (points expire or decay, a window
    /// closes, an adjustment ends), found through each score's next change time. Returns how many.
    /// On PostgreSQL one process sweeps at a time (an advisory lock): while another does, this returns 0 at once.
    /// </summary>
    public Task<int> SweepAsync(int limit = 10_000, CancellationToken cancellationToken = default) =>
        _sql.SweepAsync(limit, cancellationToken);
}
