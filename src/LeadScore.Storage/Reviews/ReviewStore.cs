using System.Data.Common;
using System.Globalization;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Reviews;

/// <summary>
/// Monthly reviews of scoring models and the drafts they propose.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Reviews</c>.
/// </summary>
public sealed class ReviewStore
{
    // As the server writes reports (relaxed escaping), so that an id is found as it appears in them.
    internal static readonly System.Text.Json.JsonSerializerOptions ReviewIdJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string ReviewColumns =
        "id, model_key, model_version, reviewed_at_us, period_from_us, period_to_us, scheduled_day, report, draft_version";

    private readonly SqlLeadStore _store;

    internal ReviewStore(SqlLeadStore store) => _store = store;

    /// <summary>
    /// Stores a review as the workspace's next one. A scheduled review (with its due day) is stored once
    /// per model and day: when another server stored it first, this returns null and stores nothing.
    /// </summary>
    public async Task<StoredModelReview?> SaveModelReviewAsync(WorkspaceId workspace, ModelReviewInput review, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(review);
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var id = await session.ReadNumberAsync(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM model_reviews WHERE workspace_id = @workspace",
            c => c.With("@workspace", workspace.Value),
            cancellationToken).ConfigureAwait(false);
        var scheduledDay = review.ScheduledDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // The unique (model, due day) index makes a second server's scheduled review a no-op, not an error.
        var inserted = await session.ExecuteAsync("""
            INSERT INTO model_reviews (workspace_id, id, model_key, model_version, reviewed_at_us, period_from_us, period_to_us, scheduled_day, report)
            VALUES (@workspace, @id, @key, @version, @at, @from, @to, @day, @report)
            ON CONFLICT DO NOTHING
            """,
            c => c.With("@workspace", workspace.Value).With("@id", id).With("@key", review.ModelKey).With("@version", review.ModelVersion)
                .With("@at", Micros.From(review.ReviewedAt)).With("@from", Micros.From(review.PeriodFrom)).With("@to", Micros.From(review.PeriodTo))
                .With("@day", scheduledDay).With("@report", review.Report),
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted == 0
            ? null
            : new StoredModelReview(id, review.ModelKey, review.ModelVersion, Micros.ToInstant(Micros.From(review.ReviewedAt)),
                Micros.ToInstant(Micros.From(review.PeriodFrom)), Micros.ToInstant(Micros.From(review.PeriodTo)), scheduledDay is not null, review.Report, null);
    }

    /// <summary>Records the draft version a review's proposal was saved as.</summary>
    public async Task SetReviewDraftAsync(WorkspaceId workspace, long reviewId, int draftVersion, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(
            "UPDATE model_reviews SET draft_version = @draft WHERE workspace_id = @workspace AND id = @id",
            c => c.With("@workspace", workspace.Value).With("@id", reviewId).With("@draft", draftVersion),
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The workspace's reviews (of one model, or all), newest first.</summary>
    public async Task<IReadOnlyList<StoredModelReview>> ListModelReviewsAsync(WorkspaceId workspace, string? modelKey = null, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            $"""
            SELECT {ReviewColumns} FROM model_reviews
            WHERE workspace_id = @workspace {(modelKey is null ? "" : "AND model_key = @key")} ORDER BY id DESC
            """,
            c => c.With("@workspace", workspace.Value).With("@key", modelKey ?? string.Empty), ReadReview, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredModelReview?> GetModelReviewAsync(WorkspaceId workspace, long reviewId, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadFirstAsync(
            $"SELECT {ReviewColumns} FROM model_reviews WHERE workspace_id = @workspace AND id = @id",
            c => c.With("@workspace", workspace.Value).With("@id", reviewId), ReadReview, cancellationToken).ConfigureAwait(false);
    }

    private static StoredModelReview ReadReview(DbDataReader reader) => new(
        System.Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
        reader.GetString(1),
        System.Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
        Micros.ToInstant(reader.GetInt64(3)),
        Micros.ToInstant(reader.GetInt64(4)),
        Micros.ToInstant(reader.GetInt64(5)),
        !reader.IsDBNull(6),
        reader.GetString(7),
        reader.IsDBNull(8) ? null : System.Convert.ToInt32(reader.GetValue(8), CultureInfo.InvariantCulture));
}
