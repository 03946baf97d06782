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
    /// Records of a kind ordered by id, <paramref name="limit"/> (1 to 1,000) at a time after the
    /// opaque cursor of the previous page (null for the first). Fails with <c>invalid-limit</c>, or
    /// <c>invalid-cursor</c> for a cursor this list did not make.
    /// </summary>
    Task<StoreResult<Page<StoredRecord>>> ListRecordsAsync(WorkspaceId workspace, RecordKind kind, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a record and its current scores, so it leaves every list; its events, history and
    /// outcomes stay for reports. False when there was no such record.
    /// </summary>
    Task<bool> DeleteRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a record and everything kept about it, for good, in one transaction: its scores, score
    /// history, adjustments and outcomes, and a contact's events (deals keep no link to an erased
    /// contact). The right to be forgotten. Null when there was nothing to erase.
    /// </summary>
    Task<ErasedRecord?> EraseRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default);

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
    /// Fails with <c>unknown-model</c>, or <c>model-archived</c> when the version (or, with none given,
    /// the newest) is archived: save the model again to publish it.
    /// </summary>
    Task<StoreResult<JobStatus>> PublishModelAsync(WorkspaceId workspace, string modelKey, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Archives every version of a model: the published one stops scoring and its current scores are
    /// removed (history stays), unfinished jobs for it are cancelled. A new draft may be saved later,
    /// and published. Returns the key's versions; fails with <c>unknown-model</c> for a key never saved.
    /// </summary>
    Task<StoreResult<IReadOnlyList<ModelVersion>>> ArchiveModelAsync(WorkspaceId workspace, string modelKey, CancellationToken cancellationToken = default);

    Task<JobStatus?> GetJobAsync(WorkspaceId workspace, long jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs (or resumes) a job in small transactions, so ingestion goes on meanwhile, reporting
    /// progress after each. Safe to call again after a crash: it continues from the last committed step.
    /// One process runs a job at a time: each chunk renews a lease of 30 seconds on it, and a call
    /// that finds the job held by another live process returns its status unchanged, doing nothing.
    /// A run that stops (cancelled, failed) releases the lease; a crashed process's lease runs out.
    /// </summary>
    Task<JobStatus> RunJobAsync(WorkspaceId workspace, long jobId, IProgress<JobStatus>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Jobs that are not completed, in every workspace, oldest first: what a restarted process must finish.</summary>
    Task<IReadOnlyList<(WorkspaceId Workspace, JobStatus Job)>> GetUnfinishedJobsAsync(CancellationToken cancellationToken = default);

    Task<StoredScore?> GetScoreAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, CancellationToken cancellationToken = default);

    /// <summary>Current scores, ordered by model then record id; all published models when <paramref name="modelKey"/> is null.</summary>
    IAsyncEnumerable<StoredScore> ListScoresAsync(WorkspaceId workspace, string? modelKey = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The ranked lead list: current scores under a published model, filtered and paged by keyset
    /// (see <see cref="LeadQuery"/>). Fails with <c>unknown-model</c> (no such published key),
    /// <c>invalid-limit</c>, <c>invalid-segment</c> (not 0 to 9) or <c>invalid-cursor</c> (garbage, or
    /// a cursor of another sort).
    /// </summary>
    Task<StoreResult<Page<StoredScore>>> ListLeadsAsync(WorkspaceId workspace, LeadQuery query, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ScoreHistoryEntry>> GetHistoryAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, CancellationToken cancellationToken = default);

    /// <summary>The score a record had at an instant, from its history; null when it had none yet.</summary>
    Task<ScoreHistoryEntry?> GetScoreAtAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Adds a manual adjustment and re-scores the contact under that model.</summary>
    Task<StoreResult<StoredScore>> AddAdjustmentAsync(WorkspaceId workspace, AdjustmentInput adjustment, CancellationToken cancellationToken = default);

    Task<WriteResult> RecordOutcomesAsync(WorkspaceId workspace, IReadOnlyList<OutcomeInput> outcomes, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OutcomeInput>> GetOutcomesAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every contact with its fields, its whole activity and its first conversion (a conversion outcome
    /// or a won deal of its own, with that deal's amount), by id, a page at a time: what predictive
    /// training builds its as-of snapshots from.
    /// </summary>
    IAsyncEnumerable<ContactActivity> ReadContactActivityAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>How many contacts the workspace has.</summary>
    Task<long> CountContactsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>How many contacts have converted (outcome or won deal): the retraining schedule watches it grow.</summary>
    Task<int> CountConversionsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>Saves a trained predictive model as the workspace's next version (1, 2, ...); versions are never overwritten.</summary>
    Task<PredictiveModelInfo> SavePredictiveModelAsync(WorkspaceId workspace, PredictiveModelInput model, CancellationToken cancellationToken = default);

    /// <summary>The workspace's predictive model versions, newest first, without their model files.</summary>
    Task<IReadOnlyList<PredictiveModelInfo>> ListPredictiveModelsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>A predictive model version with its files (the newest when none is given); null when there is none.</summary>
    Task<PredictiveModelFiles?> GetPredictiveModelAsync(WorkspaceId workspace, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the workspace's predictions with these, in one transaction: contacts left out (converted,
    /// erased) lose theirs; a prediction for a contact that no longer exists is dropped.
    /// </summary>
    Task<PredictionWrite> ReplacePredictionsAsync(WorkspaceId workspace, IReadOnlyList<ContactPrediction> predictions, CancellationToken cancellationToken = default);

    /// <summary>A contact's current prediction; null when it has none (no model yet, or it converted).</summary>
    Task<ContactPrediction?> GetPredictionAsync(WorkspaceId workspace, string contactId, CancellationToken cancellationToken = default);

    /// <summary>Every open contact's current prediction, ordered by contact id, read as a stream (for exports).</summary>
    IAsyncEnumerable<ContactPrediction> ListPredictionsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a review as the workspace's next one. A scheduled review (with its due day) is stored once
    /// per model and day: when another server stored it first, this returns null and stores nothing.
    /// </summary>
    Task<StoredModelReview?> SaveModelReviewAsync(WorkspaceId workspace, ModelReviewInput review, CancellationToken cancellationToken = default);

    /// <summary>Records the draft version a review's proposal was saved as.</summary>
    Task SetReviewDraftAsync(WorkspaceId workspace, long reviewId, int draftVersion, CancellationToken cancellationToken = default);

    /// <summary>The workspace's reviews (of one model, or all), newest first.</summary>
    Task<IReadOnlyList<StoredModelReview>> ListModelReviewsAsync(WorkspaceId workspace, string? modelKey = null, CancellationToken cancellationToken = default);

    Task<StoredModelReview?> GetModelReviewAsync(WorkspaceId workspace, long reviewId, CancellationToken cancellationToken = default);

    /// <summary>The workspace's predictive settings as the server wrote them (JSON); null when never set.</summary>
    Task<string?> GetPredictiveSettingsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    Task SavePredictiveSettingsAsync(WorkspaceId workspace, string settings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes (or renews) the workspace's training lease for <paramref name="lease"/>, so that one process
    /// trains at a time; false when another holder's lease has not run out.
    /// </summary>
    Task<bool> TryLeasePredictiveTrainingAsync(WorkspaceId workspace, string holder, TimeSpan lease, CancellationToken cancellationToken = default);

    Task ReleasePredictiveTrainingAsync(WorkspaceId workspace, string holder, CancellationToken cancellationToken = default);

    /// <summary>Every workspace, by id: what the schedulers walk.</summary>
    Task<IReadOnlyList<WorkspaceId>> ListWorkspacesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes an API key for a workspace (created when new) and returns its text, which is stored only
    /// as a hash: show it once.
    /// </summary>
    Task<CreatedApiKey> CreateApiKeyAsync(WorkspaceId workspace, ApiKeyScope scope, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The key a presented key text (<c>lsk_&lt;id&gt;_&lt;secret&gt;</c>) belongs to, in any workspace;
    /// null when it is malformed, unknown or revoked. Compares hashes in constant time.
    /// </summary>
    Task<ApiKey?> FindApiKeyAsync(string secret, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key of the workspace, and the dashboard sessions signed in with it; false when the workspace has no such key.</summary>
    Task<bool> RevokeApiKeyAsync(WorkspaceId workspace, string keyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Signs the dashboard in with a key of the workspace: a new session, with the key's scope, that
    /// ends after <paramref name="lifetime"/>. Its id (<c>lss_</c> and 256 random bits, base64url) is
    /// returned once and stored only as a SHA-256 hash. Null when the key is unknown or revoked.
    /// </summary>
    Task<CreatedDashboardSession?> CreateDashboardSessionAsync(WorkspaceId workspace, string keyId, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>
    /// The session a presented id belongs to, in any workspace, whatever its state (signed out,
    /// expired, its key revoked: see <see cref="DashboardSession.StateAt"/>); null when the text is
    /// malformed or no session has that id.
    /// </summary>
    Task<DashboardSession?> FindDashboardSessionAsync(string secret, CancellationToken cancellationToken = default);

    /// <summary>Ends a session (signing out); false when no session has that id.</summary>
    Task<bool> RevokeDashboardSessionAsync(string secret, CancellationToken cancellationToken = default);

    /// <summary>Whether any key exists in any workspace: a first start creates the first admin key.</summary>
    Task<bool> AnyApiKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates an automation (<paramref name="id"/> null) or replaces one's definition (keeping its id
    /// and webhook secret). An invalid definition comes back as errors with JSON paths and saves
    /// nothing. With <paramref name="applyToExisting"/>, it runs at once, in the same transaction,
    /// for the contacts that already stand where its trigger leads (above the level, in the grade...).
    /// Fails with <c>unknown-automation</c> for an id the workspace does not have.
    /// </summary>
    Task<StoreResult<SavedAutomation>> SaveAutomationAsync(WorkspaceId workspace, string? id, string json, bool applyToExisting = false, CancellationToken cancellationToken = default);

    Task<Automation?> GetAutomationAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Automation>> ListAutomationsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>Deletes an automation: it stops firing and its unsent webhooks are cancelled; its runs and deliveries stay in the logs.</summary>
    Task<bool> DeleteAutomationAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default);

    /// <summary>The log of automation runs, newest first, of one automation or one contact (or all).</summary>
    Task<StoreResult<Page<AutomationRun>>> ListAutomationRunsAsync(WorkspaceId workspace, string? automationId = null, string? contactId = null, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Webhook deliveries, newest first, filtered by automation, contact or state (dead letters).</summary>
    Task<StoreResult<Page<Delivery>>> ListDeliveriesAsync(WorkspaceId workspace, DeliveryQuery query, CancellationToken cancellationToken = default);

    /// <summary>One delivery with its attempt log; null when the workspace has no such delivery.</summary>
    Task<Delivery?> GetDeliveryAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a delivery again (a dead letter, or one the receiver lost): due now, with the same
    /// delivery id and a fresh retry window. Null when the workspace has no such delivery.
    /// </summary>
    Task<Delivery?> ReplayDeliveryAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries of every workspace for this process for
    /// a lease (another process skips them meanwhile; a crashed one's lease runs out and they are due again).
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesAsync(int limit, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an attempt at a claimed delivery: delivered on success; otherwise due again at
    /// <paramref name="retryAt"/>, or dead (a dead letter) when that is null.
    /// </summary>
    Task CompleteDeliveryAsync(ClaimedDelivery delivery, DeliveryAttempt attempt, DateTimeOffset? retryAt, CancellationToken cancellationToken = default);

    /// <summary>Makes a public key for the website snippet of a workspace, usable from the given origins.</summary>
    Task<SiteKey> CreateSiteKeyAsync(WorkspaceId workspace, string name, IReadOnlyList<string> origins, IReadOnlyList<string> eventTypes, VisitorTrust trust, CancellationToken cancellationToken = default);

    /// <summary>The site key a page presented (<c>pk_...</c>), in any workspace; null when unknown or revoked.</summary>
    Task<SiteKey?> FindSiteKeyAsync(string key, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SiteKey>> ListSiteKeysAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    Task<bool> RevokeSiteKeyAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default);

    /// <summary>The workspace's key for signing email tracking tokens, made on first use and shared by every server.</summary>
    Task<string> GetTrackingSecretAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>
    /// The workspace's tracking secret when it has one; null when the workspace does not exist or has
    /// never made a tracking link. Reads only: a token from the internet names any workspace it likes,
    /// and checking it must neither fail on an unknown one nor make a secret for it.
    /// </summary>
    Task<string?> FindTrackingSecretAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a browser's events in one transaction. An unidentified visitor's events go to an
    /// anonymous contact (<c>v-</c> and the visitor id). An identify whose email no contact has makes
    /// the anonymous contact that contact. One whose email names an existing contact is a claim:
    /// under <see cref="VisitorClaims.Hold"/> it is held (the events stay on the anonymous contact)
    /// until confirmed, under <see cref="VisitorClaims.Merge"/> the visitor is merged at once. A batch
    /// whose <see cref="VisitorBatch.ConfirmedContact"/> the server has proof of is merged into it.
    /// Traits fill only the fields <paramref name="trust"/> allows that have no value yet. A browser
    /// of an erased person stores nothing. Fails with <c>invalid-visitor</c> or <c>invalid-email</c>.
    /// </summary>
    Task<StoreResult<CollectResult>> CollectAsync(WorkspaceId workspace, VisitorBatch batch, VisitorTrust trust, CancellationToken cancellationToken = default);

    /// <summary>Visitors who said by email alone that they are an existing contact, not yet confirmed, oldest first.</summary>
    Task<IReadOnlyList<VisitorClaim>> ListVisitorClaimsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default);

    /// <summary>
    /// A trusted source (the API, the CRM) confirms a visitor's claim: the visitor is merged into the
    /// contact it named, its held traits fill what the contact lacks, and the contact is re-scored.
    /// Fails with <c>unknown-claim</c>, or <c>unknown-contact</c> when the contact is gone.
    /// </summary>
    Task<StoreResult<CollectResult>> ConfirmVisitorClaimAsync(WorkspaceId workspace, string visitorId, CancellationToken cancellationToken = default);

    /// <summary>Drops a visitor's claim; the visitor stays an anonymous contact of its own. False when there was none.</summary>
    Task<bool> RejectVisitorClaimAsync(WorkspaceId workspace, string visitorId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-scores the records whose score changes by itself by now (points expire or decay, a window
    /// closes, an adjustment ends), found through each score's next change time. Returns how many.
    /// On PostgreSQL one process sweeps at a time (an advisory lock): while another does, this returns 0 at once.
    /// </summary>
    Task<int> SweepAsync(int limit = 10_000, CancellationToken cancellationToken = default);
}
