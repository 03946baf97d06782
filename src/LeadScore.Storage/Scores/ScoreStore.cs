using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using LeadScore.Engine.Model;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Scores;

/// <summary>
/// Current scores with their explanations, their history, manual adjustments, and the sweep that re-scores what time changes.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Scores</c>.
/// </summary>
public sealed class ScoreStore
{
    internal const string ScoreColumns =
        "record_kind, record_id, model_key, model_version, score, points, grade, qualified, disqualified_by, thresholds, scored_at_us, next_change_at_us, line";

    private const string HistoryColumns =
        "record_kind, record_id, model_key, model_version, at_us, old_score, new_score, old_points, new_points, grade, thresholds, cause, cause_id";

    private readonly SqlLeadStore _store;

    internal ScoreStore(SqlLeadStore store) => _store = store;

    public async Task<StoredScore?> GetScoreAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadFirstAsync(
            $"SELECT {ScoreColumns} FROM scores WHERE workspace_id = @workspace AND model_key = @model AND record_kind = @kind AND record_id = @id",
            c => c.With("@workspace", workspace.Value).With("@model", modelKey).With("@kind", Names.Of(kind)).With("@id", recordId), ReadScore, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Current scores, ordered by model then record id; all published models when <paramref name="modelKey"/> is null.</summary>
    public async IAsyncEnumerable<StoredScore> ListScoresAsync(WorkspaceId workspace, string? modelKey = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ScoreColumns} FROM scores WHERE workspace_id = @workspace {(modelKey is null ? "" : "AND model_key = @model")} ORDER BY model_key, record_kind, record_id";
        command.With("@workspace", workspace.Value).With("@model", modelKey ?? "");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadScore(reader);
        }
    }

    public async Task<IReadOnlyList<ScoreHistoryEntry>> GetHistoryAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            $"SELECT {HistoryColumns} FROM score_history WHERE workspace_id = @workspace AND model_key = @model AND record_kind = @kind AND record_id = @id ORDER BY at_us, id",
            c => c.With("@workspace", workspace.Value).With("@model", modelKey).With("@kind", Names.Of(kind)).With("@id", recordId), ReadHistory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The score a record had at an instant, from its history; null when it had none yet.</summary>
    public async Task<ScoreHistoryEntry?> GetScoreAtAsync(WorkspaceId workspace, string modelKey, RecordKind kind, string recordId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadFirstAsync(
            $"""
            SELECT {HistoryColumns} FROM score_history
            WHERE workspace_id = @workspace AND model_key = @model AND record_kind = @kind AND record_id = @id AND at_us <= @at
            ORDER BY at_us DESC, id DESC LIMIT 1
            """,
            c => c.With("@workspace", workspace.Value).With("@model", modelKey).With("@kind", Names.Of(kind)).With("@id", recordId).With("@at", Micros.From(at)), ReadHistory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a manual adjustment and re-scores the contact under that model.</summary>
    public async Task<StoreResult<StoredScore>> AddAdjustmentAsync(WorkspaceId workspace, AdjustmentInput adjustment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adjustment);
        if (string.IsNullOrWhiteSpace(adjustment.Reason))
        {
            return StoreResult<StoredScore>.Failure(StoreFailure.InvalidAdjustment, "An adjustment needs a reason, so that sales can see why the score moved.");
        }

        if (!double.IsFinite(adjustment.Points) || adjustment.Points == 0)
        {
            return StoreResult<StoredScore>.Failure(StoreFailure.InvalidAdjustment, "An adjustment adds or removes a finite, non-zero number of points.");
        }

        long id;
        await using (var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            if (adjustment.ExpiresAt is { } expires && expires <= session.Now)
            {
                return StoreResult<StoredScore>.Failure(StoreFailure.InvalidAdjustment, $"The adjustment would expire at {expires:O}, which has passed.");
            }

            var model = (await _store.Catalog.PublishedAsync(session.Connection, session.Transaction, workspace, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(m => m.Key == adjustment.ModelKey);
            if (model is null)
            {
                return StoreResult<StoredScore>.Failure(StoreFailure.UnknownModel, $"No model '{adjustment.ModelKey}' is published in workspace '{workspace}'; adjustments apply to published models.");
            }

            if (model.Target != RecordKind.Contact)
            {
                return StoreResult<StoredScore>.Failure(StoreFailure.UnknownModel, $"Model '{adjustment.ModelKey}' scores {Names.Table(model.Target)}, not contacts.");
            }

            if (!model.Compiled.Model.Categories.Any(c => c.Key == adjustment.Category))
            {
                return StoreResult<StoredScore>.Failure(StoreFailure.UnknownCategory,
                    $"Model '{adjustment.ModelKey}' has no category '{adjustment.Category}'; use one of {string.Join(", ", model.Compiled.Model.Categories.Select(c => c.Key))}.");
            }

            await using (var exists = session.Command("SELECT COUNT(*) FROM contacts WHERE workspace_id = @workspace AND id = @id")
                .With("@workspace", workspace.Value).With("@id", adjustment.ContactId))
            {
                if (System.Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
                {
                    return StoreResult<StoredScore>.Failure(StoreFailure.UnknownContact, $"Contact '{adjustment.ContactId}' does not exist in workspace '{workspace}'.");
                }
            }

            await using (var insert = session.Command("""
                INSERT INTO adjustments (workspace_id, model_key, record_kind, record_id, category, points, reason, expires_at_us, created_at_us)
                VALUES (@workspace, @model, 'contact', @id, @category, @points, @reason, @expires, @at) RETURNING id
                """).With("@workspace", workspace.Value).With("@model", adjustment.ModelKey).With("@id", adjustment.ContactId)
                .With("@category", adjustment.Category).With("@points", adjustment.Points).With("@reason", adjustment.Reason)
                .With("@expires", Micros.From(adjustment.ExpiresAt) ?? (object)DBNull.Value).With("@at", session.NowUs))
            {
                id = System.Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            var touched = new Touched { OnlyModel = adjustment.ModelKey };
            touched.Contacts[adjustment.ContactId] = new ChangeReason(ScoreChangeCause.Adjustment, id.ToString(CultureInfo.InvariantCulture));
            await _store.Rescorer.RescoreAsync(session, workspace, touched, cancellationToken).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var score = await GetScoreAsync(workspace, adjustment.ModelKey, RecordKind.Contact, adjustment.ContactId, cancellationToken).ConfigureAwait(false);
        return StoreResult<StoredScore>.Success(score!);
    }

    internal static StoredScore ReadScore(DbDataReader reader) => new(
        Names.RecordKind(reader.GetString(0)),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt32(3),
        reader.GetInt32(4),
        reader.GetInt32(5),
        reader.NullableString(6),
        reader.GetInt64(7) != 0,
        reader.NullableString(8),
        SplitThresholds(reader.GetString(9)),
        Micros.ToInstant(reader.GetInt64(10)),
        reader.NullableInt64(11) is { } next ? Micros.ToInstant(next) : null,
        reader.GetString(12));

    private static ScoreHistoryEntry ReadHistory(DbDataReader reader) => new(
        Names.RecordKind(reader.GetString(0)),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt32(3),
        Micros.ToInstant(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : reader.GetInt32(5),
        reader.GetInt32(6),
        reader.IsDBNull(7) ? null : reader.GetInt32(7),
        reader.GetInt32(8),
        reader.NullableString(9),
        SplitThresholds(reader.GetString(10)),
        Names.Cause(reader.GetString(11)),
        reader.NullableString(12));

    private static ImmutableArray<string> SplitThresholds(string text) =>
        text.Length == 0 ? [] : [.. text.Split(',')];

    /// <summary>The PostgreSQL advisory lock the sweeper holds: one process sweeps at a time (the migrator uses 7438001).</summary>
    public const long SweeperLockKey = 7438002;

    /// <summary>
    /// Re-scores the records whose score changes by itself by now (points expire or decay, a window
    /// closes, an adjustment ends), found through each score's next change time. Returns how many.
    /// On PostgreSQL one process sweeps at a time (an advisory lock): while another does, this returns 0 at once.
    /// </summary>
    public async Task<int> SweepAsync(int limit = 10_000, CancellationToken cancellationToken = default)
    {
        // Two processes sweeping at once would re-score the same due records twice; the second skips this round.
        await using var sweeper = await _store.Dialect.TryLockSingletonAsync(SweeperLockKey, cancellationToken).ConfigureAwait(false);
        if (sweeper is null)
        {
            return 0;
        }

        var now = _store.Time.GetUtcNow();
        var due = new List<(string Workspace, string Model, RecordKind Kind, string Id)>();
        await using (var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT workspace_id, model_key, record_kind, record_id FROM scores
                WHERE next_change_at_us IS NOT NULL AND next_change_at_us <= @now ORDER BY next_change_at_us LIMIT {limit}
                """;
            command.With("@now", Micros.From(now));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                due.Add((reader.GetString(0), reader.GetString(1), Names.RecordKind(reader.GetString(2)), reader.GetString(3)));
            }
        }

        foreach (var group in due.GroupBy(d => (d.Workspace, d.Model)))
        {
            await using var session = await _store.Dialect.BeginWriteAsync(now, cancellationToken).ConfigureAwait(false);
            var touched = new Touched { OnlyModel = group.Key.Model };
            foreach (var record in group)
            {
                touched.Of(record.Kind)[record.Id] = new ChangeReason(ScoreChangeCause.Decay, null);
            }

            await _store.Rescorer.RescoreAsync(session, new WorkspaceId(group.Key.Workspace), touched, cancellationToken).ConfigureAwait(false);

            // A swept score still due (its model is no longer published) would come back for ever; stop looking at it.
            foreach (var kind in group.Select(r => r.Kind).Distinct())
            {
                await using var clear = session.Command($"""
                    UPDATE scores SET next_change_at_us = NULL WHERE workspace_id = @workspace AND model_key = @model AND record_kind = @kind
                    AND {_store.Dialect.InList("record_id", "@ids")} AND next_change_at_us <= @now
                    """).With("@workspace", group.Key.Workspace).With("@model", group.Key.Model).With("@kind", Names.Of(kind)).With("@now", session.NowUs);
                _store.Dialect.AddList(clear, "@ids", group.Where(r => r.Kind == kind).Select(r => r.Id).ToList());
                await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return due.Count;
    }
}
