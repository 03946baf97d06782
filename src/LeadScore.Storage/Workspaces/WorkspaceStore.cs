using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Workspaces;

/// <summary>
/// The workspaces (tenants) of this database.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Workspaces</c>.
/// </summary>
public sealed class WorkspaceStore
{
    private readonly SqlLeadStore _sql;

    internal WorkspaceStore(SqlLeadStore sql) => _sql = sql;

    /// <summary>Creates a workspace if it does not exist yet; the default workspace always exists.</summary>
    public Task EnsureWorkspaceAsync(WorkspaceId workspace, string name, CancellationToken cancellationToken = default) =>
        _sql.EnsureWorkspaceAsync(workspace, name, cancellationToken);

    /// <summary>Every workspace, by id: what the schedulers walk.</summary>
    public Task<IReadOnlyList<WorkspaceId>> ListWorkspacesAsync(CancellationToken cancellationToken = default) =>
        _sql.ListWorkspacesAsync(cancellationToken);
}
