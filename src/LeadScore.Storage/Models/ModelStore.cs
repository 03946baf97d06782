using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Models;

/// <summary>
/// Scoring models: versions, publication and the re-score jobs a publication starts.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Models</c>.
/// </summary>
public sealed class ModelStore
{
    private readonly SqlLeadStore _sql;

    internal ModelStore(SqlLeadStore sql) => _sql = sql;

    /// <summary>Validates a model and, when it has no errors, saves it as a new draft version.</summary>
    public Task<SavedModel> SaveModelAsync(WorkspaceId workspace, string modelJson, CancellationToken cancellationToken = default) =>
        _sql.SaveModelAsync(workspace, modelJson, cancellationToken);

    public Task<IReadOnlyList<ModelVersion>> GetModelVersionsAsync(WorkspaceId workspace, string? modelKey = null, CancellationToken cancellationToken = default) =>
        _sql.GetModelVersionsAsync(workspace, modelKey, cancellationToken);

    /// <summary>
    /// Publishes a version (the newest when none is given), retiring the version published before it,
    /// and queues the job that re-scores every record of its target. Run it with <see cref="RunJobAsync"/>.
    /// Fails with <c>unknown-model</c>, or <c>model-archived</c> when the version (or, with none given,
    /// the newest) is archived: save the model again to publish it.
    /// </summary>
    public Task<StoreResult<JobStatus>> PublishModelAsync(WorkspaceId workspace, string modelKey, int? version = null, CancellationToken cancellationToken = default) =>
        _sql.PublishModelAsync(workspace, modelKey, version, cancellationToken);

    /// <summary>
    /// Archives every version of a model: the published one stops scoring and its current scores are
    /// removed (history stays), unfinished jobs for it are cancelled. A new draft may be saved later,
    /// and published. Returns the key's versions; fails with <c>unknown-model</c> for a key never saved.
    /// </summary>
    public Task<StoreResult<IReadOnlyList<ModelVersion>>> ArchiveModelAsync(WorkspaceId workspace, string modelKey, CancellationToken cancellationToken = default) =>
        _sql.ArchiveModelAsync(workspace, modelKey, cancellationToken);

    public Task<JobStatus?> GetJobAsync(WorkspaceId workspace, long jobId, CancellationToken cancellationToken = default) =>
        _sql.GetJobAsync(workspace, jobId, cancellationToken);

    /// <summary>
    /// Runs (or resumes) a job in small transactions, so ingestion goes on meanwhile, reporting
    /// progress after each. Safe to call again after a crash: it continues from the last committed step.
    /// One process runs a job at a time: each chunk renews a lease of 30 seconds on it, and a call
    /// that finds the job held by another live process returns its status unchanged, doing nothing.
    /// A run that stops (cancelled, failed) releases the lease; a crashed process's lease runs out.
    /// </summary>
    public Task<JobStatus> RunJobAsync(WorkspaceId workspace, long jobId, IProgress<JobStatus>? progress = null, CancellationToken cancellationToken = default) =>
        _sql.RunJobAsync(workspace, jobId, progress, cancellationToken);

    /// <summary>Jobs that are not completed, in every workspace, oldest first: what a restarted process must finish.</summary>
    public Task<IReadOnlyList<(WorkspaceId Workspace, JobStatus Job)>> GetUnfinishedJobsAsync(CancellationToken cancellationToken = default) =>
        _sql.GetUnfinishedJobsAsync(cancellationToken);
}
