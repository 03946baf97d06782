using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Automations;

/// <summary>
/// Automations and their run log.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Automations</c>.
/// </summary>
public sealed class AutomationStore
{
    private readonly SqlLeadStore _sql;

    internal AutomationStore(SqlLeadStore sql) => _sql = sql;

    /// <summary>
    /// Creates an automation (<paramref name="id"/> null) or replaces one's definition (keeping its id
    /// and webhook secret). An invalid definition comes back as errors with JSON paths and saves
    /// nothing. With <paramref name="applyToExisting"/>, it runs at once, in the same transaction,
    /// for the contacts that already stand where its trigger leads (above the level, in the grade...).
    /// Fails with <c>unknown-automation</c> for an id the workspace does not have.
    /// </summary>
    public Task<StoreResult<SavedAutomation>> SaveAutomationAsync(WorkspaceId workspace, string? id, string json, bool applyToExisting = false, CancellationToken cancellationToken = default) =>
        _sql.SaveAutomationAsync(workspace, id, json, applyToExisting, cancellationToken);

    public Task<Automation?> GetAutomationAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default) =>
        _sql.GetAutomationAsync(workspace, id, cancellationToken);

    public Task<IReadOnlyList<Automation>> ListAutomationsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.ListAutomationsAsync(workspace, cancellationToken);

    /// <summary>Deletes an automation: it stops firing and its unsent webhooks are cancelled; its runs and deliveries stay in the logs.</summary>
    public Task<bool> DeleteAutomationAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default) =>
        _sql.DeleteAutomationAsync(workspace, id, cancellationToken);

    /// <summary>The log of automation runs, newest first, of one automation or one contact (or all).</summary>
    public Task<StoreResult<Page<AutomationRun>>> ListAutomationRunsAsync(WorkspaceId workspace, string? automationId = null, string? contactId = null, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default) =>
        _sql.ListAutomationRunsAsync(workspace, automationId, contactId, cursor, limit, cancellationToken);
}
