using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LeadScore.Engine.Automations;
using LeadScore.Engine.Scoring;
using LeadScore.Storage.Automations;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Predictive;

/// <summary>
/// The predictive model: trained versions, per-lead predictions, settings and the training lease.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Predictive</c>.
/// </summary>
public sealed class PredictiveStore
{
    internal const string PredictionColumns =
        "contact_id, model_version, probability_ppm, tier, factors, expected_amount, expected_days, expected_value_cents, predicted_at_us, tier_meaning";

    private readonly SqlLeadStore _store;

    internal PredictiveStore(SqlLeadStore store) => _store = store;

    /// <summary>Saves a trained predictive model as the workspace's next version (1, 2, ...); versions are never overwritten.</summary>
    public async Task<PredictiveModelInfo> SavePredictiveModelAsync(WorkspaceId workspace, PredictiveModelInput model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var version = (int)await session.ReadNumberAsync(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM predictive_models WHERE workspace_id = @workspace",
            c => c.With("@workspace", workspace.Value),
            cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("""
            INSERT INTO predictive_models (workspace_id, version, trained_at_us, conversions, report, conversion_model, amount_model, days_model)
            VALUES (@workspace, @version, @at, @conversions, @report, @conversion, @amount, @days)
            """,
            c => c.With("@workspace", workspace.Value).With("@version", version).With("@at", Micros.From(model.TrainedAt))
                .With("@conversions", model.Conversions).With("@report", model.Report).With("@conversion", model.ConversionModel.ToArray())
                .With("@amount", model.AmountModel?.ToArray()).With("@days", model.DaysModel?.ToArray()),
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PredictiveModelInfo(version, Micros.ToInstant(Micros.From(model.TrainedAt)), model.Conversions, model.Report);
    }

    /// <summary>The workspace's predictive model versions, newest first, without their model files.</summary>
    public async Task<IReadOnlyList<PredictiveModelInfo>> ListPredictiveModelsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            "SELECT version, trained_at_us, conversions, report FROM predictive_models WHERE workspace_id = @workspace ORDER BY version DESC",
            c => c.With("@workspace", workspace.Value), ReadModelInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A predictive model version with its files (the newest when none is given); null when there is none.</summary>
    public async Task<PredictiveModelFiles?> GetPredictiveModelAsync(WorkspaceId workspace, int? version = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT version, trained_at_us, conversions, report, conversion_model, amount_model, days_model FROM predictive_models
            WHERE workspace_id = @workspace {(version is null ? "" : "AND version = @version")} ORDER BY version DESC LIMIT 1
            """;
        command.With("@workspace", workspace.Value).With("@version", version ?? 0);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // Typed: a bare null would become an empty memory through the implicit conversion from byte[].
        ReadOnlyMemory<byte>? Blob(int ordinal) => reader.IsDBNull(ordinal) ? (ReadOnlyMemory<byte>?)null : reader.GetFieldValue<byte[]>(ordinal);
        return new PredictiveModelFiles(ReadModelInfo(reader), reader.GetFieldValue<byte[]>(4), Blob(5), Blob(6));
    }

    private static PredictiveModelInfo ReadModelInfo(DbDataReader reader) =>
        new(System.Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), Micros.ToInstant(reader.GetInt64(1)),
            System.Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture), reader.GetString(3));

    /// <summary>
    /// Replaces the workspace's predictions with these, in one transaction: contacts left out (converted,
    /// erased) lose theirs; a prediction for a contact that no longer exists is dropped.
    /// </summary>
    public async Task<PredictionWrite> ReplacePredictionsAsync(WorkspaceId workspace, IReadOnlyList<ContactPrediction> predictions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var previousTiers = new Dictionary<string, PriorityTier>(StringComparer.Ordinal);
        await using (var previous = session.Command("SELECT contact_id, tier FROM predictions WHERE workspace_id = @workspace").With("@workspace", workspace.Value))
        await using (var reader = await previous.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                previousTiers[reader.GetString(0)] = TierOf(reader.GetString(1));
            }
        }

        await using (var clear = session.Command("DELETE FROM predictions WHERE workspace_id = @workspace").With("@workspace", workspace.Value))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // A contact erased or deleted since the predictions were computed gets none.
        await using var insert = session.Command($"""
            INSERT INTO predictions (workspace_id, {PredictionColumns})
            SELECT @workspace, @contact, @version, @ppm, @tier, @factors, @amount, @days, @value, @at, @meaning
            WHERE EXISTS (SELECT 1 FROM contacts WHERE workspace_id = @workspace AND id = @contact)
            """).With("@workspace", workspace.Value).With("@contact", "").With("@version", 0).With("@ppm", 0L).With("@tier", "")
            .With("@factors", "").With("@amount", null).With("@days", null).With("@value", null).With("@at", session.NowUs).With("@meaning", null);
        int written = 0, tiersChanged = 0;
        var changes = new List<(string Contact, PriorityTier? Before, PriorityTier After)>();
        foreach (var prediction in predictions)
        {
            insert.Set("@contact", prediction.ContactId);
            insert.Set("@version", prediction.ModelVersion);
            insert.Set("@ppm", ToPpm(prediction.Probability));
            insert.Set("@tier", PriorityTiers.Name(prediction.Tier));
            insert.Set("@factors", JsonSerializer.Serialize(prediction.Factors.Select(f => new FactorJson(f.Text, f.Weight, f.Points)), FactorJsonOptions));
            insert.Set("@amount", prediction.ExpectedAmount);
            insert.Set("@days", prediction.ExpectedDays);
            insert.Set("@value", prediction.ExpectedValue is { } value ? (long)Math.Round(value * 100) : null);
            insert.Set("@meaning", prediction.TierMeaning);
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                written++;
                var known = previousTiers.Remove(prediction.ContactId, out var before);
                if (!known || before != prediction.Tier)
                {
                    tiersChanged += known ? 1 : 0;
                    changes.Add((prediction.ContactId, known ? before : null, prediction.Tier));
                }
            }
        }

        var ran = await RunPriorityAutomationsAsync(session, workspace, changes, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PredictionWrite(written, previousTiers.Count, tiersChanged, ran);
    }

    /// <summary>Runs the priority-changed automations for the contacts whose tier changed, in the transaction that wrote the tiers.</summary>
    private async Task<int> RunPriorityAutomationsAsync(WriteSession session, WorkspaceId workspace, List<(string Contact, PriorityTier? Before, PriorityTier After)> changes, CancellationToken cancellationToken)
    {
        var active = await _store.Rescorer.Automations.ActiveAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var firings = new List<AutomationRunner.Firing>();
        foreach (var automation in active)
        {
            if (automation.Definition.Trigger is PriorityChangedTrigger trigger)
            {
                firings.AddRange(changes.Where(c => trigger.Fires(c.Before, c.After))
                    .Select(c => new AutomationRunner.Firing(automation, c.Contact, null, null, $"priority-changed {(c.Before is { } b ? PriorityTiers.Name(b) : "none")} to {PriorityTiers.Name(c.After)}")));
            }
        }

        if (firings.Count == 0)
        {
            return 0;
        }

        await session.LockContactsAsync(workspace, firings.Select(f => f.ContactId).Distinct(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        return (await _store.Rescorer.RunAutomationsAsync(session, workspace, active, firings, cancellationToken).ConfigureAwait(false)).Ran;
    }

    /// <summary>A contact's current prediction; null when it has none (no model yet, or it converted).</summary>
    public async Task<ContactPrediction?> GetPredictionAsync(WorkspaceId workspace, string contactId, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadFirstAsync(
            $"SELECT {PredictionColumns} FROM predictions WHERE workspace_id = @workspace AND contact_id = @contact",
            c => c.With("@workspace", workspace.Value).With("@contact", contactId), reader => ReadPrediction(reader, 0)!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every open contact's current prediction, ordered by contact id, read as a stream (for exports).</summary>
    public async IAsyncEnumerable<ContactPrediction> ListPredictionsAsync(WorkspaceId workspace, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {PredictionColumns} FROM predictions WHERE workspace_id = @workspace ORDER BY contact_id";
        command.With("@workspace", workspace.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // ReadPrediction is null only for the missing side of a left join; every row here is a prediction.
            yield return ReadPrediction(reader, 0)!;
        }
    }

    /// <summary>The workspace's predictive settings as the server wrote them (JSON); null when never set.</summary>
    public async Task<string?> GetPredictiveSettingsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadFirstAsync(
            "SELECT settings FROM predictive_settings WHERE workspace_id = @workspace",
            c => c.With("@workspace", workspace.Value),
            reader => reader.GetString(0),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task SavePredictiveSettingsAsync(WorkspaceId workspace, string settings, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("""
            INSERT INTO predictive_settings (workspace_id, settings) VALUES (@workspace, @settings)
            ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings
            """, c => c.With("@workspace", workspace.Value).With("@settings", settings), cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes (or renews) the workspace's training lease for <paramref name="lease"/>, so that one process
    /// trains at a time; false when another holder's lease has not run out.
    /// </summary>
    public async Task<bool> TryLeasePredictiveTrainingAsync(WorkspaceId workspace, string holder, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        await using (var ensure = session.Command("INSERT INTO predictive_settings (workspace_id, settings) VALUES (@workspace, '{}') ON CONFLICT (workspace_id) DO NOTHING")
            .With("@workspace", workspace.Value))
        {
            await ensure.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // One statement decides: the lease is free, run out, or already ours.
        var taken = await session.ExecuteAsync("""
            UPDATE predictive_settings SET lease_holder = @holder, lease_until_us = @until
            WHERE workspace_id = @workspace AND (lease_holder IS NULL OR lease_until_us < @now OR lease_holder = @holder)
            """,
            c => c.With("@workspace", workspace.Value).With("@holder", holder).With("@until", session.NowUs + (long)lease.TotalMicroseconds)
                .With("@now", session.NowUs),
            cancellationToken).ConfigureAwait(false) == 1;
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return taken;
    }

    public async Task ReleasePredictiveTrainingAsync(WorkspaceId workspace, string holder, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(
            "UPDATE predictive_settings SET lease_holder = NULL, lease_until_us = NULL WHERE workspace_id = @workspace AND lease_holder = @holder",
            c => c.With("@workspace", workspace.Value).With("@holder", holder),
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static long ToPpm(double probability) => (long)Math.Round(Math.Clamp(probability, 0, 1) * 1_000_000);

    /// <summary>A stored reason; <c>Points</c> is absent from reasons written before sizes were kept.</summary>
    private sealed record FactorJson(string Text, double Weight, double? Points);

    private static readonly JsonSerializerOptions FactorJsonOptions = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Reads <see cref="PredictionColumns"/> starting at <paramref name="at"/>; null when the row has no prediction (an outer join).</summary>
    internal static ContactPrediction? ReadPrediction(DbDataReader reader, int at)
    {
        if (reader.IsDBNull(at))
        {
            return null;
        }

        var factors = JsonSerializer.Deserialize<FactorJson[]>(reader.GetString(at + 4)) ?? [];
        double? Number(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
        return new ContactPrediction(
            reader.GetString(at),
            System.Convert.ToInt32(reader.GetValue(at + 1), CultureInfo.InvariantCulture),
            reader.GetInt64(at + 2) / 1_000_000d,
            TierOf(reader.GetString(at + 3)),
            [.. factors.Select(f => new PredictionFactor(f.Text, f.Weight) { Points = f.Points })],
            Number(at + 5),
            Number(at + 6),
            reader.NullableInt64(at + 7) is { } cents ? cents / 100d : null,
            Micros.ToInstant(reader.GetInt64(at + 8)))
        {
            TierMeaning = reader.IsDBNull(at + 9) ? null : reader.GetString(at + 9),
        };
    }

    /// <summary>A stored tier; only this class writes them, so one it cannot read is a bug.</summary>
    private static PriorityTier TierOf(string stored) =>
        PriorityTiers.Named(stored) ?? throw new InvalidDataException($"'{stored}' in predictions.tier is not a priority tier.");

    /// <summary>Deletes the rows of a table that are about one record; returns how many.</summary>
    /// <summary>A contact that converted, or is gone, is no longer a lead to predict: its prediction leaves the lists at once.</summary>
    internal static async Task ForgetPredictionAsync(WriteSession session, WorkspaceId workspace, string contactId, CancellationToken cancellationToken)
    {
        await using var forget = session.Command("DELETE FROM predictions WHERE workspace_id = @workspace AND contact_id = @id")
            .With("@workspace", workspace.Value).With("@id", contactId);
        await forget.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
