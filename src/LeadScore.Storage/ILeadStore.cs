using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;

namespace LeadScore.Storage;

/// <summary>
/// Everything LeadScore keeps: contacts, companies, deals, events, models, scores, history, outcomes
/// and jobs, per workspace. Every write that can change a score re-scores the records it touched
/// under every published model in the same transaction, so a stored score is never behind its data.
/// Implemented once over SQLite (the embedded default) and PostgreSQL (production); both pass the
/// same test suite.
/// </summary>
public interface ILeadStore : IAsyncDisposable
{
    /// <summary>The database this store uses, for messages ("sqlite:/path/leadscore.db").</summary>
    string Description { get; }

    /// <summary>Creates a workspace if it does not exist yet; the default workspace always exists.</summary>
    Task EnsureWorkspaceAsync(WorkspaceId workspace, string name, CancellationToken cancellationToken = default);

    Task<WriteResult> DefineFieldsAsync(WorkspaceId workspace, IReadOnlyList<FieldDefinition> definitions, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<FieldDefinition>> GetFieldDefinitionsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>Creates or updates contacts; a contact whose fields changed is re-scored (cause: field change).</summary>
    Task<WriteResult> UpsertContactsAsync(WorkspaceId workspace, IReadOnlyList<ContactInput> contacts, CancellationToken cancellationToken = default);

    Task<WriteResult> UpsertCompaniesAsync(WorkspaceId workspace, IReadOnlyList<CompanyInput> companies, CancellationToken cancellationToken = default);

    Task<WriteResult> UpsertDealsAsync(WorkspaceId workspace, IReadOnlyList<DealInput> deals, CancellationToken cancellationToken = default);

    Task<StoredRecord?> GetRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a batch of events, each event id once per workspace, and re-scores the contacts they
    /// touched (and those contacts' deals and companies) in the same transaction.
    /// </summary>
    Task<IngestResult> IngestEventsAsync(WorkspaceId workspace, IReadOnlyList<EventInput> events, IngestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>A contact's events, oldest first: its activity timeline, and what a fresh re-score reads.</summary>
    Task<IReadOnlyList<ActivityEvent>> GetEventsAsync(WorkspaceId workspace, string contactId, CancellationToken cancellationToken = default);

    Task<long> CountEventsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>Validates a model and, when it has no errors, saves it as a new draft version.</summary>
    Task<SavedModel> SaveModelAsync(WorkspaceId workspace, string modelJson, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ModelVersion>> GetModelVersionsAsync(WorkspaceId workspace, string? modelKey = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes a version (the newest when none is given), retiring the version published before it,
    /// and queues the job that re-scores every record of its target. Run it with <see cref="RunJobAsync"/>.
    /// </summary>
    Task<StoreResult<JobStatus>> PublishModelAsync(WorkspaceId workspace, string modelKey, int? version = null, CancellationToken cancellationToken = default);

    Task<JobStatus?> GetJobAsync(WorkspaceId workspace, long jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs (or resumes) a job in small transactions, so ingestion goes on meanwhile, reporting
    /// progress after each. Safe to call again after a crash: it continues from the last committed step.
    /// </summary>
    Task<JobStatus> RunJobAsync(WorkspaceId workspace, long jobId, IProgress<JobStatus>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Jobs that are not completed, in every workspace, oldest first: what a restarted process must finish.</summary>
    Task<IReadOnlyList<(WorkspaceId Workspace, JobStatus Job)>> GetUnfinishedJobsAsync(CancellationToken cancellationToken = default);

    Task<StoredScore?> GetScoreAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, CancellationToken cancellationToken = default);

    /// <summary>Current scores, ordered by model then record id; all published models when <paramref name="modelKey"/> is null.</summary>
    IAsyncEnumerable<StoredScore> ListScoresAsync(WorkspaceId workspace, string? modelKey = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ScoreHistoryEntry>> GetHistoryAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, CancellationToken cancellationToken = default);

    /// <summary>The score a record had at an instant, from its history; null when it had none yet.</summary>
    Task<ScoreHistoryEntry?> GetScoreAtAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Adds a manual adjustment and re-scores the contact under that model.</summary>
    Task<StoreResult<StoredScore>> AddAdjustmentAsync(WorkspaceId workspace, AdjustmentInput adjustment, CancellationToken cancellationToken = default);

    Task<WriteResult> RecordOutcomesAsync(WorkspaceId workspace, IReadOnlyList<OutcomeInput> outcomes, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OutcomeInput>> GetOutcomesAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-scores the records whose score changes by itself by now (points expire or decay, a window
    /// closes, an adjustment ends), found through each score's next change time. Returns how many.
    /// </summary>
    Task<int> SweepAsync(int limit = 10_000, CancellationToken cancellationToken = default);
}
