using System.Data.Common;
using System.Globalization;
using LeadScore.Storage.Automations;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Deliveries;

/// <summary>
/// The durable outbox of webhook deliveries: listed, replayed, claimed under a lease and completed.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Deliveries</c>.
/// </summary>
public sealed class DeliveryStore
{
    private const string DeliveryColumns =
        "id, automation_id, contact_id, url, state, attempts, created_at_us, next_attempt_at_us, delivered_at_us, last_status, last_error, payload, seq";

    private readonly SqlLeadStore _store;

    internal DeliveryStore(SqlLeadStore store) => _store = store;

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries of every workspace for this process for
    /// a lease (another process skips them meanwhile; a crashed one's lease runs out and they are due again).
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesAsync(int limit, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var rows = new List<(string Workspace, string Id, string Automation, string Url, string Payload, int Attempts, long RetryFromUs)>();
        await using (var claim = session.Command($"""
            UPDATE deliveries SET claimed_by = @me, claimed_until_us = @until
            WHERE seq IN (
                SELECT seq FROM deliveries
                WHERE state = 'pending' AND next_attempt_at_us <= @now AND (claimed_until_us IS NULL OR claimed_until_us < @now)
                ORDER BY next_attempt_at_us LIMIT @limit{_store.Dialect.ForUpdateSkipLocked})
            RETURNING workspace_id, id, automation_id, url, payload, attempts, retry_from_us
            """).With("@me", _store.Instance).With("@until", session.NowUs + (lease.Ticks / 10)).With("@now", session.NowUs).With("@limit", limit))
        {
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), (int)reader.GetInt64(5), reader.GetInt64(6)));
            }
        }

        var secrets = new Dictionary<(string, string), string>();
        foreach (var key in rows.Select(r => (r.Workspace, r.Automation)).Distinct())
        {
            await using var read = session.Command("SELECT secret FROM automations WHERE workspace_id = @workspace AND id = @id")
                .With("@workspace", key.Workspace).With("@id", key.Automation);
            secrets[key] = (string)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => new ClaimedDelivery(
            new WorkspaceId(r.Workspace), r.Id, r.Automation, new Uri(r.Url), r.Payload, secrets[(r.Workspace, r.Automation)], r.Attempts, Micros.ToInstant(r.RetryFromUs)))];
    }

    /// <summary>
    /// Records an attempt at a claimed delivery: delivered on success; otherwise due again at
    /// <paramref name="retryAt"/>, or dead (a dead letter) when that is null.
    /// </summary>
    public async Task CompleteDeliveryAsync(ClaimedDelivery delivery, DeliveryAttempt attempt, DateTimeOffset? retryAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(attempt);
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var state = attempt.Succeeded ? DeliveryState.Delivered : retryAt is null ? DeliveryState.Dead : DeliveryState.Pending;
        await using (var update = session.Command("""
            UPDATE deliveries SET attempts = attempts + 1, state = @state, last_status = @status, last_error = @error,
                next_attempt_at_us = @next, delivered_at_us = @delivered, claimed_by = NULL, claimed_until_us = NULL
            WHERE workspace_id = @workspace AND id = @id AND state = 'pending' AND claimed_by = @me
            """).With("@state", Names.Of(state)).With("@status", attempt.Status).With("@error", attempt.Error)
            .With("@next", state == DeliveryState.Pending ? Micros.From(retryAt!.Value) : null)
            .With("@delivered", attempt.Succeeded ? Micros.From(attempt.At) : null)
            .With("@workspace", delivery.Workspace.Value).With("@id", delivery.Id).With("@me", _store.Instance))
        {
            // Not ours any more (the lease ran out and another process took it, or it was replayed or
            // cancelled meanwhile): what that process records stands.
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return;
            }
        }

        await using (var log = session.Command("""
            INSERT INTO delivery_attempts (workspace_id, delivery_id, attempt, at_us, status, error, duration_us)
            VALUES (@workspace, @id, @attempt, @at, @status, @error, @duration) ON CONFLICT DO NOTHING
            """).With("@workspace", delivery.Workspace.Value).With("@id", delivery.Id).With("@attempt", delivery.Attempts + 1)
            .With("@at", Micros.From(attempt.At)).With("@status", attempt.Status).With("@error", attempt.Error).With("@duration", attempt.Duration.Ticks / 10))
        {
            await log.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Webhook deliveries, newest first, filtered by automation, contact or state (dead letters).</summary>
    public async Task<StoreResult<Page<Delivery>>> ListDeliveriesAsync(WorkspaceId workspace, DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (Pages.InvalidLimit(query.Limit, AutomationStore.MaxLogPage) is { } badLimit)
        {
            return badLimit;
        }

        long? before = null;
        if (query.Cursor is not null)
        {
            if (PageCursor.Decode(query.Cursor) is not ["delivery", var last] || !long.TryParse(last, CultureInfo.InvariantCulture, out var parsed))
            {
                return Pages.InvalidCursor("delivery list");
            }

            before = parsed;
        }

        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {DeliveryColumns} FROM deliveries WHERE workspace_id = @workspace
                {(query.AutomationId is null ? "" : "AND automation_id = @automation")} {(query.ContactId is null ? "" : "AND contact_id = @contact")}
                {(query.State is null ? "" : "AND state = @state")} {(before is null ? "" : "AND seq < @before")}
            ORDER BY seq DESC LIMIT @limit
            """;
        command.With("@workspace", workspace.Value).With("@automation", query.AutomationId).With("@contact", query.ContactId)
            .With("@state", query.State is { } state ? Names.Of(state) : null).With("@before", before).With("@limit", query.Limit + 1);
        var rows = new List<(Delivery Delivery, long Seq)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((ReadDelivery(reader), reader.GetInt64(12)));
        }

        var page = Pages.ToPage(rows, query.Limit, r => PageCursor.Encode("delivery", r.Seq.ToString(CultureInfo.InvariantCulture)));
        return StoreResult<Page<Delivery>>.Success(new Page<Delivery>([.. page.Items.Select(r => r.Delivery)], page.NextCursor));
    }

    /// <summary>One delivery with its attempt log; null when the workspace has no such delivery.</summary>
    public async Task<Delivery?> GetDeliveryAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadDeliveryAsync(connection, null, workspace, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a delivery again (a dead letter, or one the receiver lost): due now, with the same
    /// delivery id and a fresh retry window. Null when the workspace has no such delivery.
    /// </summary>
    public async Task<Delivery?> ReplayDeliveryAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        // A fresh retry window from now; the attempts so far stay in the log.
        await using (var replay = session.Command("""
            UPDATE deliveries SET state = 'pending', next_attempt_at_us = @now, retry_from_us = @now, claimed_by = NULL, claimed_until_us = NULL
            WHERE workspace_id = @workspace AND id = @id
            """).With("@now", session.NowUs).With("@workspace", workspace.Value).With("@id", id))
        {
            if (await replay.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }
        }

        var delivery = await ReadDeliveryAsync(session.Connection, session.Transaction, workspace, id, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return delivery;
    }

    private static async Task<Delivery?> ReadDeliveryAsync(DbConnection connection, DbTransaction? transaction, WorkspaceId workspace, string id, CancellationToken cancellationToken)
    {
        Delivery? delivery;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT {DeliveryColumns} FROM deliveries WHERE workspace_id = @workspace AND id = @id";
            command.With("@workspace", workspace.Value).With("@id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            delivery = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDelivery(reader) : null;
        }

        if (delivery is null)
        {
            return null;
        }

        var attempts = new List<DeliveryAttempt>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT attempt, at_us, status, error, duration_us FROM delivery_attempts WHERE workspace_id = @workspace AND delivery_id = @id ORDER BY attempt";
            command.With("@workspace", workspace.Value).With("@id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                attempts.Add(new DeliveryAttempt((int)reader.GetInt64(0), Micros.ToInstant(reader.GetInt64(1)),
                    reader.NullableInt64(2) is { } status ? (int)status : null, reader.NullableString(3), TimeSpan.FromTicks(reader.GetInt64(4) * 10)));
            }
        }

        return delivery with { AttemptLog = [.. attempts] };
    }

    private static Delivery ReadDelivery(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        new Uri(reader.GetString(3)),
        Names.DeliveryState(reader.GetString(4)),
        (int)reader.GetInt64(5),
        Micros.ToInstant(reader.GetInt64(6)),
        reader.NullableInt64(7) is { } next ? Micros.ToInstant(next) : null,
        reader.NullableInt64(8) is { } delivered ? Micros.ToInstant(delivered) : null,
        reader.NullableInt64(9) is { } status ? (int)status : null,
        reader.NullableString(10),
        reader.GetString(11));
}
