using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LeadScore.Engine.Automations;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Scoring;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Automations;

/// <summary>
/// Automations and their run log.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Automations</c>.
/// </summary>
public sealed class AutomationStore
{
    /// <summary>The most runs or deliveries one page of a log holds.</summary>
    public const int MaxLogPage = 500;

    private const string AutomationColumns = "id, name, model_key, trigger_type, enabled, definition, secret, created_at_us, updated_at_us";

    private readonly SqlLeadStore _store;

    internal AutomationStore(SqlLeadStore store) => _store = store;

    /// <summary>
    /// Creates an automation (<paramref name="id"/> null) or replaces one's definition (keeping its id
    /// and webhook secret). An invalid definition comes back as errors with JSON paths and saves
    /// nothing. With <paramref name="applyToExisting"/>, it runs at once, in the same transaction,
    /// for the contacts that already stand where its trigger leads (above the level, in the grade...).
    /// Fails with <c>unknown-automation</c> for an id the workspace does not have.
    /// </summary>
    public async Task<StoreResult<SavedAutomation>> SaveAutomationAsync(WorkspaceId workspace, string? id, string json, bool applyToExisting = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        var validation = AutomationJson.Parse(json);
        if (validation.Definition is not { } definition)
        {
            return StoreResult<SavedAutomation>.Success(new SavedAutomation(null, validation.Errors, 0));
        }

        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        if (definition.ModelKey is { } modelKey)
        {
            var errors = await CheckModelAsync(session, workspace, definition, modelKey, cancellationToken).ConfigureAwait(false);
            if (errors.Length > 0)
            {
                return StoreResult<SavedAutomation>.Success(new SavedAutomation(null, errors, 0));
            }
        }

        Automation? existing = null;
        if (id is not null)
        {
            existing = await ReadAutomationAsync(session.Connection, session.Transaction, workspace, id, _store.Dialect.ForUpdate, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                return StoreResult<SavedAutomation>.Failure(StoreFailure.UnknownAutomation, $"Workspace '{workspace}' has no automation '{id}'.");
            }
        }

        id ??= $"au_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var secret = existing?.Secret ?? NewSecret();
        await using (var upsert = session.Command("""
            INSERT INTO automations (workspace_id, id, name, model_key, trigger_type, enabled, definition, secret, created_at_us, updated_at_us)
            VALUES (@workspace, @id, @name, @model, @trigger, @enabled, @definition, @secret, @at, @at)
            ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name, model_key = excluded.model_key, trigger_type = excluded.trigger_type,
                enabled = excluded.enabled, definition = excluded.definition, updated_at_us = excluded.updated_at_us
            """).With("@workspace", workspace.Value).With("@id", id).With("@name", definition.Name).With("@model", definition.ModelKey)
            .With("@trigger", definition.Trigger.Type).With("@enabled", definition.Enabled ? 1 : 0).With("@definition", json)
            .With("@secret", secret).With("@at", session.NowUs))
        {
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = 0;
        if (applyToExisting && definition.Enabled)
        {
            applied = await ApplyToExistingAsync(session, workspace, id, cancellationToken).ConfigureAwait(false);
        }

        var saved = await ReadAutomationAsync(session.Connection, session.Transaction, workspace, id, "", cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return StoreResult<SavedAutomation>.Success(new SavedAutomation(saved, [], applied));
    }

    public async Task<Automation?> GetAutomationAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAutomationAsync(connection, null, workspace, id, "", cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Automation>> ListAutomationsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            $"SELECT {AutomationColumns} FROM automations WHERE workspace_id = @workspace AND deleted_at_us IS NULL ORDER BY created_at_us, id",
            c => c.With("@workspace", workspace.Value), ReadAutomation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an automation: it stops firing and its unsent webhooks are cancelled; its runs and deliveries stay in the logs.</summary>
    public async Task<bool> DeleteAutomationAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await using (var delete = session.Command("UPDATE automations SET deleted_at_us = @at, enabled = 0 WHERE workspace_id = @workspace AND id = @id AND deleted_at_us IS NULL")
            .With("@at", session.NowUs).With("@workspace", workspace.Value).With("@id", id))
        {
            if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }
        }

        // Webhooks not sent yet would reach a receiver the user has just turned away from.
        await using (var cancel = session.Command("UPDATE deliveries SET state = 'cancelled', next_attempt_at_us = NULL WHERE workspace_id = @workspace AND automation_id = @id AND state = 'pending'")
            .With("@workspace", workspace.Value).With("@id", id))
        {
            await cancel.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The log of automation runs, newest first, of one automation or one contact (or all).</summary>
    public async Task<StoreResult<Page<AutomationRun>>> ListAutomationRunsAsync(WorkspaceId workspace, string? automationId = null, string? contactId = null, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (Pages.InvalidLimit(limit, MaxLogPage) is { } badLimit)
        {
            return badLimit;
        }

        long? before = null;
        if (cursor is not null)
        {
            if (PageCursor.Decode(cursor) is not ["run", var last] || !long.TryParse(last, CultureInfo.InvariantCulture, out var parsed))
            {
                return Pages.InvalidCursor("automation run list");
            }

            before = parsed;
        }

        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, automation_id, contact_id, trigger, model_key, score_before, score_after, cause_id, at_us, actions FROM automation_runs
            WHERE workspace_id = @workspace {(automationId is null ? "" : "AND automation_id = @automation")} {(contactId is null ? "" : "AND contact_id = @contact")}
                {(before is null ? "" : "AND id < @before")}
            ORDER BY id DESC LIMIT @limit
            """;
        command.With("@workspace", workspace.Value).With("@automation", automationId).With("@contact", contactId).With("@before", before).With("@limit", limit + 1);
        var runs = new List<AutomationRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new AutomationRun(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.NullableString(4),
                reader.NullableInt64(5) is { } b ? (int)b : null, reader.NullableInt64(6) is { } a ? (int)a : null, reader.NullableString(7),
                Micros.ToInstant(reader.GetInt64(8)), [.. JsonSerializer.Deserialize<string[]>(reader.GetString(9)) ?? []]));
        }

        return StoreResult<Page<AutomationRun>>.Success(Pages.ToPage(runs, limit, r => PageCursor.Encode("run", r.Id.ToString(CultureInfo.InvariantCulture))));
    }

    private static async Task<ImmutableArray<ModelDiagnostic>> CheckModelAsync(WriteSession session, WorkspaceId workspace, AutomationDefinition definition, string modelKey, CancellationToken cancellationToken)
    {
        // The newest version: an automation is often written for the model about to be published.
        await using var command = session.Command("SELECT definition FROM models WHERE workspace_id = @workspace AND model_key = @model ORDER BY version DESC LIMIT 1")
            .With("@workspace", workspace.Value).With("@model", modelKey);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string modelJson)
        {
            return [new ModelDiagnostic("$.model", "unknown-model", $"Workspace '{workspace}' has no model '{modelKey}'; save the model first, or name one of its models.")];
        }

        return [.. AutomationJson.CheckAgainst(definition, ScoringModelJson.Parse(modelJson).Model!)];
    }

    /// <summary>
    /// Runs a new automation once for the contacts that already match its trigger, in the
    /// transaction that saves it: those above its level, below it, in its grade, qualified,
    /// disqualified, in its priority tier, or who already did the event. Returns how many it ran for.
    /// </summary>
    private async Task<int> ApplyToExistingAsync(WriteSession session, WorkspaceId workspace, string id, CancellationToken cancellationToken)
    {
        var active = await _store.Rescorer.Automations.ActiveAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var automation = active.Single(a => a.Id == id);
        var firings = new List<AutomationRunner.Firing>();
        if (automation.Definition.Trigger is EventReceivedTrigger received)
        {
            await using var command = session.Command("SELECT DISTINCT contact_id FROM events WHERE workspace_id = @workspace AND lower(type) = @type ORDER BY contact_id")
                .With("@workspace", workspace.Value).With("@type", received.EventType.ToLowerInvariant());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                firings.Add(new AutomationRunner.Firing(automation, reader.GetString(0), null, null, "apply-to-existing"));
            }
        }
        else if (automation.Definition.Trigger is PriorityChangedTrigger priority)
        {
            await using var command = session.Command($"SELECT contact_id FROM predictions WHERE workspace_id = @workspace {(priority.To is null ? "" : "AND tier = @tier")} ORDER BY contact_id")
                .With("@workspace", workspace.Value).With("@tier", priority.To is { } to ? PriorityTiers.Name(to) : null);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                firings.Add(new AutomationRunner.Firing(automation, reader.GetString(0), null, null, "apply-to-existing"));
            }
        }
        else
        {
            await using var command = session.Command($"""
                SELECT record_id, {StoredScoreState.Columns} FROM scores
                WHERE workspace_id = @workspace AND model_key = @model AND record_kind = 'contact' ORDER BY record_id
                """).With("@workspace", workspace.Value).With("@model", automation.Definition.ModelKey);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (AlreadyMatches(automation.Definition.Trigger, StoredScoreState.Read(reader, 1)))
                {
                    firings.Add(new AutomationRunner.Firing(automation, reader.GetString(0), null, null, "apply-to-existing"));
                }
            }
        }

        return (await _store.Rescorer.RunAutomationsAsync(session, workspace, active, firings, cancellationToken).ConfigureAwait(false)).Ran;
    }

    /// <summary>Whether a lead stands where the trigger would have taken it: the state a crossing leads to.</summary>
    private static bool AlreadyMatches(AutomationTrigger trigger, ScoreState state) => trigger switch
    {
        ScoreAboveTrigger above => above.Level.IsReachedBy(state),
        ScoreBelowTrigger below => !below.Level.IsReachedBy(state),
        GradeChangedTrigger grade => grade.To is null ? state.Grade is not null : grade.To == state.Grade,
        RequirementsMetTrigger => state.RequirementsMet,
        DisqualifiedTrigger => state.Disqualified,
        _ => false,
    };

    private static async Task<Automation?> ReadAutomationAsync(DbConnection connection, DbTransaction? transaction, WorkspaceId workspace, string id, string forUpdate, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {AutomationColumns} FROM automations WHERE workspace_id = @workspace AND id = @id AND deleted_at_us IS NULL{forUpdate}";
        command.With("@workspace", workspace.Value).With("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAutomation(reader) : null;
    }

    private static Automation ReadAutomation(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.NullableString(2),
        reader.GetString(3),
        reader.GetInt64(4) != 0,
        reader.GetString(5),
        reader.GetString(6),
        Micros.ToInstant(reader.GetInt64(7)),
        Micros.ToInstant(reader.GetInt64(8)));

    private static string NewSecret() => $"whsec_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
}
