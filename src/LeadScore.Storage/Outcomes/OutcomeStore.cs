using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using LeadScore.Engine.Model;
using LeadScore.Storage.Events;
using LeadScore.Storage.Predictive;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Outcomes;

/// <summary>
/// What became of leads: conversions, won and lost deals.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Outcomes</c>.
/// </summary>
public sealed class OutcomeStore
{
    // UNION, not UNION ALL: a contact with a conversion outcome and a won deal counts once.
    internal const string ConvertedContactsSql = """
        SELECT record_id FROM outcomes WHERE workspace_id = @workspace AND record_kind = 'contact' AND outcome = 'converted'
        UNION
        SELECT d.contact_id FROM outcomes o JOIN deals d ON d.workspace_id = o.workspace_id AND d.id = o.record_id
        WHERE o.workspace_id = @workspace AND o.record_kind = 'deal' AND o.outcome = 'won' AND d.contact_id IS NOT NULL
        """;

    private readonly SqlLeadStore _store;

    internal OutcomeStore(SqlLeadStore store) => _store = store;


    internal sealed record Conversion(DateTimeOffset At, decimal? Amount);


    /// <summary>
    /// Each contact's first conversion: its own 'converted' outcome or a won deal of its own, whichever
    /// came first, with the first won deal's amount (the size of what it bought).
    /// </summary>
    internal static async Task<Dictionary<string, Conversion>> ReadConversionsAsync(DbConnection connection, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT record_id, occurred_at_us, NULL FROM outcomes
            WHERE workspace_id = @workspace AND record_kind = 'contact' AND outcome = 'converted'
            UNION ALL
            SELECT d.contact_id, o.occurred_at_us, o.amount FROM outcomes o
            JOIN deals d ON d.workspace_id = o.workspace_id AND d.id = o.record_id
            WHERE o.workspace_id = @workspace AND o.record_kind = 'deal' AND o.outcome = 'won' AND d.contact_id IS NOT NULL
            """;
        command.With("@workspace", workspace.Value);
        var firsts = new Dictionary<string, (long At, decimal? Amount, long AmountAt)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var contact = reader.GetString(0);
            var at = reader.GetInt64(1);
            decimal? amount = reader.IsDBNull(2) ? null : System.Convert.ToDecimal(reader.GetValue(2), CultureInfo.InvariantCulture);
            var known = firsts.TryGetValue(contact, out var seen) ? seen : (At: long.MaxValue, Amount: null, AmountAt: long.MaxValue);
            var first = Math.Min(known.At, at);
            firsts[contact] = amount is not null && at < known.AmountAt ? (first, amount, at) : (first, known.Amount, known.AmountAt);
        }

        return firsts.ToDictionary(p => p.Key, p => new Conversion(Micros.ToInstant(p.Value.At), p.Value.Amount), StringComparer.Ordinal);
    }

    public async Task<WriteResult> RecordOutcomesAsync(WorkspaceId workspace, IReadOnlyList<OutcomeInput> outcomes, CancellationToken cancellationToken = default)
    {
        var rejected = ImmutableArray.CreateBuilder<Rejection>();
        var written = 0;
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        await using var insert = session.Command("""
            INSERT INTO outcomes (workspace_id, record_kind, record_id, outcome, occurred_at_us, amount, recorded_at_us)
            VALUES (@workspace, @kind, @id, @outcome, @at, @amount, @now) ON CONFLICT DO NOTHING
            """).With("@workspace", workspace.Value).With("@kind", "").With("@id", "").With("@outcome", "").With("@at", 0L)
            .With("@amount", null).With("@now", session.NowUs);
        for (var i = 0; i < outcomes.Count; i++)
        {
            var outcome = outcomes[i];
            var reason = CheckOutcome(outcome, session.Now);
            if (reason is null)
            {
                if (await session.ReadNumberAsync(
                    $"SELECT COUNT(*) FROM {Names.Table(outcome.Kind)} WHERE workspace_id = @workspace AND id = @id",
                    c => c.With("@workspace", workspace.Value).With("@id", outcome.RecordId),
                    cancellationToken).ConfigureAwait(false) == 0)
                {
                    reason = $"{Names.Of(outcome.Kind)} '{outcome.RecordId}' does not exist; import it before its outcome";
                }
            }

            if (reason is not null)
            {
                rejected.Add(new Rejection(i, outcome.RecordId, reason));
                continue;
            }

            insert.Set("@kind", Names.Of(outcome.Kind));
            insert.Set("@id", outcome.RecordId);
            insert.Set("@outcome", Names.Of(outcome.Outcome));
            insert.Set("@at", Micros.From(outcome.OccurredAt));
            // A decimal is stored exactly: numeric on PostgreSQL, text on SQLite (how Microsoft.Data.Sqlite binds it).
            insert.Set("@amount", outcome.Amount);
            written += await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (outcome.Outcome == OutcomeKind.Converted)
            {
                await PredictiveStore.ForgetPredictionAsync(session, workspace, outcome.RecordId, cancellationToken).ConfigureAwait(false);
            }
            else if (outcome.Outcome == OutcomeKind.Won)
            {
                await using var forget = session.Command(
                    "DELETE FROM predictions WHERE workspace_id = @workspace AND contact_id IN (SELECT contact_id FROM deals WHERE workspace_id = @workspace AND id = @id)")
                    .With("@workspace", workspace.Value).With("@id", outcome.RecordId);
                await forget.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteResult(written, rejected.ToImmutable(), 0) { Unchanged = outcomes.Count - written - rejected.Count };
    }

    public async Task<IReadOnlyList<OutcomeInput>> GetOutcomesAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            "SELECT record_kind, record_id, outcome, occurred_at_us, amount FROM outcomes WHERE workspace_id = @workspace ORDER BY occurred_at_us, record_kind, record_id",
            c => c.With("@workspace", workspace.Value), reader => new OutcomeInput(
                Names.RecordKind(reader.GetString(0)), reader.GetString(1), Names.Outcome(reader.GetString(2)), Micros.ToInstant(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : System.Convert.ToDecimal(reader.GetValue(4), CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many contacts have converted (outcome or won deal): the retraining schedule watches it grow.</summary>
    public async Task<int> CountConversionsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        // Counted in the database: the schedule asks every check, and needs no row of it.
        return (int)await _store.Dialect.ReadNumberAsync(
            $"SELECT COUNT(*) FROM ({ConvertedContactsSql}) converted",
            c => c.With("@workspace", workspace.Value),
            cancellationToken).ConfigureAwait(false);
    }

    private static string? CheckOutcome(OutcomeInput outcome, DateTimeOffset now) => (outcome.Kind, outcome.Outcome) switch
    {
        _ when FieldRules.CheckId(outcome.RecordId, Names.Of(outcome.Kind)) is { } badId => badId,
        (RecordKind.Contact, not OutcomeKind.Converted) => "a contact's outcome is 'converted'; deals are won or lost",
        (RecordKind.Deal, OutcomeKind.Converted) => "a deal's outcome is 'won' or 'lost'",
        (RecordKind.Company, _) => "outcomes are recorded on contacts (converted) and deals (won or lost)",
        _ when outcome.OccurredAt > now + EventStore.MaxFutureSkew => $"the outcome is dated {outcome.OccurredAt:O}, in the future",
        _ when outcome.Amount is < 0 => "a deal amount cannot be negative",
        _ => null,
    };
}
