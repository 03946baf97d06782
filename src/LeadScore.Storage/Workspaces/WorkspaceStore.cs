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
    private readonly SqlLeadStore _store;

    internal WorkspaceStore(SqlLeadStore store) => _store = store;

    /// <summary>Creates a workspace if it does not exist yet; the default workspace always exists.</summary>
    public async Task EnsureWorkspaceAsync(WorkspaceId workspace, string name, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await using var insert = session.Command("INSERT INTO workspaces (workspace_id, name, created_at_us) VALUES (@workspace, @name, @at) ON CONFLICT DO NOTHING")
            .With("@workspace", workspace.Value).With("@name", name).With("@at", session.NowUs);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every workspace, by id: what the schedulers walk.</summary>
    public async Task<IReadOnlyList<WorkspaceId>> ListWorkspacesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT workspace_id FROM workspaces ORDER BY workspace_id";
        var workspaces = new List<WorkspaceId>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            workspaces.Add(new WorkspaceId(reader.GetString(0)));
        }

        return workspaces;
    }
}
