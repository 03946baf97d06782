using System.Data.Common;
using System.Globalization;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Models;

/// <summary>
/// Scoring models: versions, publication and the re-score jobs a publication starts.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Models</c>.
/// </summary>
public sealed class ModelStore
{
    /// <summary>Records re-scored per transaction of a publish job: large enough to be fast, small enough that ingestion waits a moment at most.</summary>
    public const int JobChunkSize = 2_000;

    private const string RescoreJob = "rescore";

    private readonly SqlLeadStore _store;

    internal ModelStore(SqlLeadStore store) => _store = store;

    /// <summary>Validates a model and, when it has no errors, saves it as a new draft version.</summary>
    public async Task<SavedModel> SaveModelAsync(WorkspaceId workspace, string modelJson, CancellationToken cancellationToken = default)
    {
        var validation = ScoringModelJson.Parse(modelJson);
        if (!validation.IsValid)
        {
            return new SavedModel(validation, null);
        }

        var model = validation.Model;
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var version = 1;
        await using (var latest = session.Command($"SELECT {ModelCatalog.VersionColumns} FROM models WHERE workspace_id = @workspace AND model_key = @key ORDER BY version DESC LIMIT 1")
            .With("@workspace", workspace.Value).With("@key", model.Key))
        {
            await using var reader = await latest.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var newest = ModelCatalog.ReadVersion(reader);
                // Saving the same definition again (publishing a file twice) is not a new version, unless
                // the key was archived: saving it again is how it comes back.
                if (newest.Definition == modelJson && newest.Status != ModelStatus.Archived)
                {
                    return new SavedModel(validation, newest);
                }

                version = newest.Version + 1;
            }
        }

        var target = model.Target;
        await session.ExecuteAsync("""
            INSERT INTO models (workspace_id, model_key, version, status, target, definition, created_at_us, published_at_us)
            VALUES (@workspace, @key, @version, 'draft', @target, @definition, @at, NULL)
            """,
            c => c.With("@workspace", workspace.Value).With("@key", model.Key).With("@version", version).With("@target", Names.Of(target))
                .With("@definition", modelJson).With("@at", session.NowUs),
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SavedModel(validation, new ModelVersion(model.Key, version, ModelStatus.Draft, target, modelJson, session.Now, null));
    }

    public async Task<IReadOnlyList<ModelVersion>> GetModelVersionsAsync(WorkspaceId workspace, string? modelKey = null, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            $"SELECT {ModelCatalog.VersionColumns} FROM models WHERE workspace_id = @workspace {(modelKey is null ? "" : "AND model_key = @key")} ORDER BY model_key, version",
            c => c.With("@workspace", workspace.Value).With("@key", modelKey ?? ""), reader => ModelCatalog.ReadVersion(reader), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes a version (the newest when none is given), retiring the version published before it,
    /// and queues the job that re-scores every record of its target. Run it with <see cref="RunJobAsync"/>.
    /// Fails with <c>unknown-model</c>, or <c>model-archived</c> when the version (or, with none given,
    /// the newest) is archived: save the model again to publish it.
    /// </summary>
    public async Task<StoreResult<JobStatus>> PublishModelAsync(WorkspaceId workspace, string modelKey, int? version = null, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await using var find = session.Command($"""
            SELECT {ModelCatalog.VersionColumns} FROM models WHERE workspace_id = @workspace AND model_key = @key
            {(version is null ? "" : "AND version = @version")} ORDER BY version DESC LIMIT 1
            """).With("@workspace", workspace.Value).With("@key", modelKey).With("@version", version ?? 0);
        ModelVersion? found = null;
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found = ModelCatalog.ReadVersion(reader);
            }
        }

        if (found is null)
        {
            return version is null
                ? StoreResult<JobStatus>.Failure(StoreFailure.UnknownModel, $"No model '{modelKey}' is saved in workspace '{workspace}'; save it first (leadscore model publish FILE does both).")
                : StoreResult<JobStatus>.Failure(StoreFailure.UnknownModel, $"Model '{modelKey}' has no version {version}.");
        }

        if (found.Status == ModelStatus.Archived)
        {
            return StoreResult<JobStatus>.Failure(StoreFailure.ModelArchived, version is null
                ? $"Model '{modelKey}' is archived; save it again as a new draft to publish it."
                : $"Version {found.Version} of model '{modelKey}' is archived and cannot be published; save the model again as a new draft and publish that.");
        }

        await using (var retire = session.Command("UPDATE models SET status = 'retired' WHERE workspace_id = @workspace AND model_key = @key AND status = 'published' AND version <> @version")
            .With("@workspace", workspace.Value).With("@key", modelKey).With("@version", found.Version))
        {
            await retire.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var publish = session.Command("UPDATE models SET status = 'published', published_at_us = @at WHERE workspace_id = @workspace AND model_key = @key AND version = @version")
            .With("@workspace", workspace.Value).With("@key", modelKey).With("@version", found.Version).With("@at", session.NowUs))
        {
            await publish.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Scores of the retired version stay until the job overwrites them, so readers never see a gap.
        long total;
        await using (var count = session.Command($"SELECT COUNT(*) FROM {Names.Table(found.Target)} WHERE workspace_id = @workspace").With("@workspace", workspace.Value))
        {
            total = System.Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        var id = await session.ReadNumberAsync("""
            INSERT INTO jobs (workspace_id, kind, model_key, model_version, state, cursor, done, total, created_at_us, updated_at_us)
            VALUES (@workspace, @kind, @key, @version, 'pending', '', 0, @total, @at, @at) RETURNING id
            """,
            c => c.With("@workspace", workspace.Value).With("@kind", RescoreJob).With("@key", modelKey).With("@version", found.Version)
                .With("@total", total).With("@at", session.NowUs),
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return StoreResult<JobStatus>.Success(new JobStatus(id, RescoreJob, modelKey, found.Version, JobState.Pending, 0, total));
    }

    /// <summary>
    /// Archives every version of a model: the published one stops scoring and its current scores are
    /// removed (history stays), unfinished jobs for it are cancelled. A new draft may be saved later,
    /// and published. Returns the key's versions; fails with <c>unknown-model</c> for a key never saved.
    /// </summary>
    public async Task<StoreResult<IReadOnlyList<ModelVersion>>> ArchiveModelAsync(WorkspaceId workspace, string modelKey, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await using (var archive = session.Command("UPDATE models SET status = 'archived' WHERE workspace_id = @workspace AND model_key = @key")
            .With("@workspace", workspace.Value).With("@key", modelKey))
        {
            if (await archive.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return StoreResult<IReadOnlyList<ModelVersion>>.Failure(StoreFailure.UnknownModel, $"No model '{modelKey}' is saved in workspace '{workspace}'.");
            }
        }

        // History stays: it is what the score was, and reports read it.
        await using (var scores = session.Command("DELETE FROM scores WHERE workspace_id = @workspace AND model_key = @key")
            .With("@workspace", workspace.Value).With("@key", modelKey))
        {
            await scores.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var jobs = session.Command("""
            UPDATE jobs SET state = 'cancelled', claimed_by = NULL, claimed_until_us = NULL, updated_at_us = @at
            WHERE workspace_id = @workspace AND model_key = @key AND state IN ('pending', 'running')
            """).With("@workspace", workspace.Value).With("@key", modelKey).With("@at", session.NowUs))
        {
            await jobs.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var versions = new List<ModelVersion>();
        await using (var read = session.Command($"SELECT {ModelCatalog.VersionColumns} FROM models WHERE workspace_id = @workspace AND model_key = @key ORDER BY version")
            .With("@workspace", workspace.Value).With("@key", modelKey))
        {
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                versions.Add(ModelCatalog.ReadVersion(reader));
            }
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        _store.Catalog.Forget(workspace, modelKey);
        return StoreResult<IReadOnlyList<ModelVersion>>.Success(versions);
    }

    public async Task<JobStatus?> GetJobAsync(WorkspaceId workspace, long jobId, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadFirstAsync(
            "SELECT id, kind, model_key, model_version, state, done, total, cursor FROM jobs WHERE workspace_id = @workspace AND id = @id",
            c => c.With("@workspace", workspace.Value).With("@id", jobId), ReadJob, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Jobs that are not completed, in every workspace, oldest first: what a restarted process must finish.</summary>
    public async Task<IReadOnlyList<(WorkspaceId Workspace, JobStatus Job)>> GetUnfinishedJobsAsync(CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            "SELECT id, kind, model_key, model_version, state, done, total, cursor, workspace_id FROM jobs WHERE state IN ('pending', 'running') ORDER BY id",
            _ => { }, reader => (new WorkspaceId(reader.GetString(8)), ReadJob(reader)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How long a job stays with the process running it after its last chunk. Each chunk renews it;
    /// a process that dies leaves the job to the others this long after its last commit.
    /// </summary>
    public static readonly TimeSpan JobLease = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs (or resumes) a job in small transactions, so ingestion goes on meanwhile, reporting
    /// progress after each. Safe to call again after a crash: it continues from the last committed step.
    /// One process runs a job at a time: each chunk renews a lease of 30 seconds on it, and a call
    /// that finds the job held by another live process returns its status unchanged, doing nothing.
    /// A run that stops (cancelled, failed) releases the lease; a crashed process's lease runs out.
    /// </summary>
    public async Task<JobStatus> RunJobAsync(WorkspaceId workspace, long jobId, IProgress<JobStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var lane = await JobLane.OpenAsync(_store.Dialect, cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (job, done) = await RunJobChunkAsync(workspace, jobId, lane, cancellationToken).ConfigureAwait(false);
                if (done)
                {
                    return job;
                }

                progress?.Report(job);
                if (job.State != JobState.Running)
                {
                    return job;
                }
            }
        }
        catch
        {
            // Stopped (shutdown, failure): hand the job over now rather than when the lease runs out.
            await ReleaseJobAsync(workspace, jobId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// One transaction of a job: claims or renews its lease and re-scores the next chunk. Done when
    /// there was nothing to do: the job had ended, or another live process holds it.
    /// </summary>
    private async Task<(JobStatus Job, bool Done)> RunJobChunkAsync(WorkspaceId workspace, long jobId, JobLane lane, CancellationToken cancellationToken)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(lane.Writer, _store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var readAhead = await lane.TakeReadAheadAsync(session, cancellationToken).ConfigureAwait(false);
        JobStatus job;
        string cursor;
        string? holder;
        long? heldUntil;
        // FOR UPDATE on PostgreSQL: two processes reading the lease at once would both take it.
        await using (var read = session.Command($"SELECT id, kind, model_key, model_version, state, done, total, cursor, claimed_by, claimed_until_us FROM jobs WHERE workspace_id = @workspace AND id = @id{_store.Dialect.ForUpdate}")
            .With("@workspace", workspace.Value).With("@id", jobId))
        {
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"Job {jobId} does not exist in workspace '{workspace}'.");
            }

            job = ReadJob(reader);
            cursor = reader.GetString(7);
            holder = reader.NullableString(8);
            heldUntil = reader.NullableInt64(9);
        }

        if (job.State is JobState.Completed or JobState.Cancelled
            || (holder is not null && holder != _store.Instance && heldUntil > session.NowUs))
        {
            return (job, true);
        }

        var published = await _store.Catalog.PublishedAsync(session.Connection, session.Transaction, workspace, cancellationToken).ConfigureAwait(false);
        var model = published.FirstOrDefault(m => m.Key == job.ModelKey);
        if (model is null || model.Version != job.ModelVersion)
        {
            // A newer version was published meanwhile (its own job re-scores everything), or the key was archived.
            job = await UpdateJobAsync(session, workspace, job with { State = JobState.Cancelled }, cursor, cancellationToken).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (job, false);
        }

        var ids = await Rescorer.NextIdsAsync(session, workspace, model.Target, cursor, JobChunkSize, cancellationToken).ConfigureAwait(false);
        if (ids.Count > 0)
        {
            if (readAhead is not null && !readAhead.Ids.SequenceEqual(ids, StringComparer.Ordinal))
            {
                readAhead = null;
            }

            // Only a contact model's chunks are read ahead, and only without automations: their
            // actions change contacts inside the job's own transactions, which the check cannot see.
            if (ids.Count == JobChunkSize && model.Target == RecordKind.Contact
                && (await _store.Rescorer.Automations.ActiveAsync(session, workspace, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                // Read for this chunk's instant: the next chunk scores later, and needs no older events.
                lane.ReadAhead(workspace, model, ids[^1], JobChunkSize, session.Now);
            }

            var touched = new Touched { OnlyModel = model.Key };
            var reason = new ChangeReason(ScoreChangeCause.Publish, model.VersionName);
            foreach (var id in ids)
            {
                touched.Of(model.Target)[id] = reason;
            }

            await _store.Rescorer.RescoreAsync(session, workspace, touched, cancellationToken, readAhead: readAhead).ConfigureAwait(false);
            cursor = ids[^1];
        }

        // Records created after the job started count too, so done may pass the first total.
        var done = job.Done + ids.Count;
        job = job with
        {
            State = ids.Count < JobChunkSize ? JobState.Completed : JobState.Running,
            Done = done,
            Total = Math.Max(job.Total, done),
        };
        job = await UpdateJobAsync(session, workspace, job, cursor, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (job, false);
    }

    /// <summary>Writes a job's progress; a running job stays claimed by this process for another lease, an ended one by nobody.</summary>
    private async Task<JobStatus> UpdateJobAsync(WriteSession session, WorkspaceId workspace, JobStatus job, string cursor, CancellationToken cancellationToken)
    {
        if (job.State == JobState.Completed)
        {
            job = job with { Total = job.Done };
        }

        var running = job.State is JobState.Pending or JobState.Running;
        await session.ExecuteAsync("""
            UPDATE jobs SET state = @state, cursor = @cursor, done = @done, total = @total, updated_at_us = @at,
                claimed_by = @holder, claimed_until_us = @until
            WHERE workspace_id = @workspace AND id = @id
            """,
            c => c.With("@state", Names.Of(job.State)).With("@cursor", cursor).With("@done", job.Done).With("@total", job.Total)
                .With("@at", session.NowUs).With("@holder", running ? _store.Instance : null)
                .With("@until", running ? Micros.From(session.Now + JobLease) : null).With("@workspace", workspace.Value).With("@id", job.Id),
            cancellationToken).ConfigureAwait(false);
        return job;
    }

    private async Task ReleaseJobAsync(WorkspaceId workspace, long jobId)
    {
        try
        {
            await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            await using var release = session.Command("UPDATE jobs SET claimed_by = NULL, claimed_until_us = NULL WHERE workspace_id = @workspace AND id = @id AND claimed_by = @holder")
                .With("@workspace", workspace.Value).With("@id", jobId).With("@holder", _store.Instance);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            await session.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // The database is what failed; the lease runs out by itself.
        }
    }

    private static JobStatus ReadJob(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), Names.JobState(reader.GetString(4)), reader.GetInt64(5), reader.GetInt64(6));

}
