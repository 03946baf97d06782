using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Reviews;

/// <summary>
/// Monthly reviews of scoring models and the drafts they propose.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Reviews</c>.
/// </summary>
public sealed class ReviewStore
{
    private readonly SqlLeadStore _sql;

    internal ReviewStore(SqlLeadStore sql) => _sql = sql;

    /// <summary>
    /// Stores a review as the workspace's next one. A scheduled review (with its due day) is stored once
    /// per model and day: when another server stored it first, this returns null and stores nothing.
    /// </summary>
    public Task<StoredModelReview?> SaveModelReviewAsync(WorkspaceId workspace, ModelReviewInput review, CancellationToken cancellationToken = default) =>
        _sql.SaveModelReviewAsync(workspace, review, cancellationToken);

    /// <summary>Records the draft version a review's proposal was saved as.</summary>
    public Task SetReviewDraftAsync(WorkspaceId workspace, long reviewId, int draftVersion, CancellationToken cancellationToken = default) =>
        _sql.SetReviewDraftAsync(workspace, reviewId, draftVersion, cancellationToken);

    /// <summary>The workspace's reviews (of one model, or all), newest first.</summary>
    public Task<IReadOnlyList<StoredModelReview>> ListModelReviewsAsync(WorkspaceId workspace, string? modelKey = null, CancellationToken cancellationToken = default) =>
        _sql.ListModelReviewsAsync(workspace, modelKey, cancellationToken);

    public Task<StoredModelReview?> GetModelReviewAsync(WorkspaceId workspace, long reviewId, CancellationToken cancellationToken = default) =>
        _sql.GetModelReviewAsync(workspace, reviewId, cancellationToken);
}
