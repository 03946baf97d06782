using LeadScore.Engine.Subjects;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Deliveries;

/// <summary>
/// The durable outbox of webhook deliveries: listed, replayed, claimed under a lease and completed.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Deliveries</c>.
/// </summary>
public sealed class DeliveryStore
{
    private readonly SqlLeadStore _sql;

    internal DeliveryStore(SqlLeadStore sql) => _sql = sql;

    /// <summary>Webhook deliveries, newest first, filtered by automation, contact or state (dead letters).</summary>
    public Task<StoreResult<Page<Delivery>>> ListDeliveriesAsync(WorkspaceId workspace, DeliveryQuery query, CancellationToken cancellationToken = default) =>
        _sql.ListDeliveriesAsync(workspace, query, cancellationToken);

    /// <summary>One delivery with its attempt log; null when the workspace has no such delivery.</summary>
    public Task<Delivery?> GetDeliveryAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default) =>
        _sql.GetDeliveryAsync(workspace, id, cancellationToken);

    /// <summary>
    /// Sends a delivery again (a dead letter, or one the receiver lost): due now, with the same
    /// delivery id and a fresh retry window. Null when the workspace has no such delivery.
    /// </summary>
    public Task<Delivery?> ReplayDeliveryAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default) =>
        _sql.ReplayDeliveryAsync(workspace, id, cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries of every workspace for this process for
    /// a lease (another process skips them meanwhile; a crashed one's lease runs out and they are due again).
    /// </summary>
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesAsync(int limit, TimeSpan lease, CancellationToken cancellationToken = default) =>
        _sql.ClaimDeliveriesAsync(limit, lease, cancellationToken);

    /// <summary>
    /// Records an attempt at a claimed delivery: delivered on success; otherwise due again at
    /// <paramref name="retryAt"/>, or dead (a dead letter) when that is null.
    /// </summary>
    public Task CompleteDeliveryAsync(ClaimedDelivery delivery, DeliveryAttempt attempt, DateTimeOffset? retryAt, CancellationToken cancellationToken = default) =>
        _sql.CompleteDeliveryAsync(delivery, attempt, retryAt, cancellationToken);
}
