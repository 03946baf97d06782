using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Workspaces;

/// <summary>
/// The workspaces (tenants) of this database.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Workspaces</c>.
/// </summary>
public sealed class WorkspaceStore
{
    private readonly SqlLeadStore _store;

    internal WorkspaceStore(SqlLeadStore store) => _store = store;

    /// <summary>Creates a workspace if it does not exist yet; the default workspace always exists.</summary>
    public async Task EnsureWorkspaceAsync(WorkspaceId workspace, string name, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(
            "INSERT INTO workspaces (workspace_id, name, created_at_us) VALUES (@workspace, @name, @at) ON CONFLICT DO NOTHING",
            c => c.With("@workspace", workspace.Value).With("@name", name).With("@at", session.NowUs),
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every workspace, by id: what the schedulers walk.</summary>
    public async Task<IReadOnlyList<WorkspaceId>> ListWorkspacesAsync(CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            "SELECT workspace_id FROM workspaces ORDER BY workspace_id",
            _ => { }, reader => new WorkspaceId(reader.GetString(0)), cancellationToken).ConfigureAwait(false);
    }
}
