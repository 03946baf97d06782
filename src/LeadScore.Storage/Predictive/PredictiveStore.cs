using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Predictive;

/// <summary>
/// The predictive model: trained versions, per-lead predictions, settings and the training lease.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Predictive</c>.
/// </summary>
public sealed class PredictiveStore
{
    private readonly SqlLeadStore _sql;

    internal PredictiveStore(SqlLeadStore sql) => _sql = sql;

    /// <summary>Saves a trained predictive model as the workspace's next version (1, 2, ...); versions are never overwritten.</summary>
    public Task<PredictiveModelInfo> SavePredictiveModelAsync(WorkspaceId workspace, PredictiveModelInput model, CancellationToken cancellationToken = default) =>
        _sql.SavePredictiveModelAsync(workspace, model, cancellationToken);

    /// <summary>The workspace's predictive model versions, newest first, without their model files.</summary>
    public Task<IReadOnlyList<PredictiveModelInfo>> ListPredictiveModelsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.ListPredictiveModelsAsync(workspace, cancellationToken);

    /// <summary>A predictive model version with its files (the newest when none is given); null when there is none.</summary>
    public Task<PredictiveModelFiles?> GetPredictiveModelAsync(WorkspaceId workspace, int? version = null, CancellationToken cancellationToken = default) =>
        _sql.GetPredictiveModelAsync(workspace, version, cancellationToken);

    /// <summary>
    /// Replaces the workspace's predictions with these, in one transaction: contacts left out (converted,
    /// erased) lose theirs; a prediction for a contact that no longer exists is dropped.
    /// </summary>
    public Task<PredictionWrite> ReplacePredictionsAsync(WorkspaceId workspace, IReadOnlyList<ContactPrediction> predictions, CancellationToken cancellationToken = default) =>
        _sql.ReplacePredictionsAsync(workspace, predictions, cancellationToken);

    /// <summary>A contact's current prediction; null when it has none (no model yet, or it converted).</summary>
    public Task<ContactPrediction?> GetPredictionAsync(WorkspaceId workspace, string contactId, CancellationToken cancellationToken = default) =>
        _sql.GetPredictionAsync(workspace, contactId, cancellationToken);

    /// <summary>Every open contact's current prediction, ordered by contact id, read as a stream (for exports).</summary>
    public IAsyncEnumerable<ContactPrediction> ListPredictionsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.ListPredictionsAsync(workspace, cancellationToken);

    /// <summary>The workspace's predictive settings as the server wrote them (JSON); null when never set.</summary>
    public Task<string?> GetPredictiveSettingsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.GetPredictiveSettingsAsync(workspace, cancellationToken);

    public Task SavePredictiveSettingsAsync(WorkspaceId workspace, string settings, CancellationToken cancellationToken = default) =>
        _sql.SavePredictiveSettingsAsync(workspace, settings, cancellationToken);

    /// <summary>
    /// Takes (or renews) the workspace's training lease for <paramref name="lease"/>, so that one process
    /// trains at a time; false when another holder's lease has not run out.
    /// </summary>
    public Task<bool> TryLeasePredictiveTrainingAsync(WorkspaceId workspace, string holder, TimeSpan lease, CancellationToken cancellationToken = default) =>
        _sql.TryLeasePredictiveTrainingAsync(workspace, holder, lease, cancellationToken);

    public Task ReleasePredictiveTrainingAsync(WorkspaceId workspace, string holder, CancellationToken cancellationToken = default) =>
        _sql.ReleasePredictiveTrainingAsync(workspace, holder, cancellationToken);
}
