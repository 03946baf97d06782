using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Leads;

/// <summary>
/// The ranked list of leads sales works from.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Leads</c>.
/// </summary>
public sealed class LeadRanking
{
    private readonly SqlLeadStore _sql;

    internal LeadRanking(SqlLeadStore sql) => _sql = sql;

    /// <summary>
    /// The ranked lead list: current scores under a published model, filtered and paged by keyset
    /// (see <see cref="LeadQuery"/>). Fails with <c>unknown-model</c> (no such published key),
    /// <c>invalid-limit</c>, <c>invalid-segment</c> (not 0 to 9) or <c>invalid-cursor</c> (garbage, or
    /// a cursor of another sort).
    /// </summary>
    public Task<StoreResult<Page<StoredScore>>> ListLeadsAsync(WorkspaceId workspace, LeadQuery query, CancellationToken cancellationToken = default) =>
        _sql.ListLeadsAsync(workspace, query, cancellationToken);
}
