using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Outcomes;

/// <summary>
/// What became of leads: conversions, won and lost deals.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Outcomes</c>.
/// </summary>
public sealed class OutcomeStore
{
    private readonly SqlLeadStore _sql;

    internal OutcomeStore(SqlLeadStore sql) => _sql = sql;

    public Task<WriteResult> RecordOutcomesAsync(WorkspaceId workspace, IReadOnlyList<OutcomeInput> outcomes, CancellationToken cancellationToken = default) =>
        _sql.RecordOutcomesAsync(workspace, outcomes, cancellationToken);

    public Task<IReadOnlyList<OutcomeInput>> GetOutcomesAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.GetOutcomesAsync(workspace, cancellationToken);

    /// <summary>How many contacts have converted (outcome or won deal): the retraining schedule watches it grow.</summary>
    public Task<int> CountConversionsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default) =>
        _sql.CountConversionsAsync(workspace, cancellationToken);
}
