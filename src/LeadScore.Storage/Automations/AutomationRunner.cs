using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeadScore.Engine.Automations;
using LeadScore.Engine.Model;
using LeadScore.Engine.Values;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Automations;

/// <summary>
/// Runs automations inside the write transaction that changed the scores, so a crossing and what
/// it does (fields set, points added, a webhook queued in the outbox) commit or roll back together.
/// A crossing is a transition between the stored score and the new one; the re-scorer holds the
/// contact's lock while it writes, so one transaction alone sees each transition, and an
/// automation fires exactly once per crossing, also with several processes on one database.
/// </summary>
internal sealed class AutomationRunner(WriteSession session, WorkspaceId workspace, CancellationToken cancellationToken)
{
    /// <summary>Why an automation runs for a contact: a score transition, a new event, or the apply-to-existing pass.</summary>
    internal sealed record Firing(ActiveAutomation Automation, string ContactId, ScoreTransition? Transition, StoredEvent? Event, string TriggerText);

    private sealed class ContactState(string? email, Dictionary<string, FieldValue> fields, string? fieldTimes)
    {
        public string? Email => email;

        public Dictionary<string, FieldValue> Fields => fields;

        /// <summary>When each field last changed after creation, as stored (see <see cref="Records.FieldTimes"/>).</summary>
        public string? FieldTimes => fieldTimes;

        /// <summary>The fields the actions changed: they take this moment as their change time.</summary>
        public HashSet<string> ChangedFields { get; } = new(StringComparer.OrdinalIgnoreCase);

        public bool Changed => ChangedFields.Count > 0;
    }

    /// <summary>The firings the transitions and new events cause, in automation order.</summary>
    public static List<Firing> Match(IReadOnlyList<ActiveAutomation> automations, IReadOnlyList<ScoreTransition> transitions, IReadOnlyList<StoredEvent> arrived)
    {
        var firings = new List<Firing>();
        Dictionary<(string Model, string Contact), ScoreTransition>? byContact = null;
        foreach (var automation in automations)
        {
            var definition = automation.Definition;
            if (definition.Trigger is EventReceivedTrigger received)
            {
                // Keyed once: a batch of thousands of page views must not search the transitions per event.
                byContact ??= transitions.Where(t => t.Kind == RecordKind.Contact)
                    .GroupBy(t => (t.ModelKey, t.RecordId)).ToDictionary(g => g.Key, g => g.Last());
                foreach (var arrival in arrived.Where(e => string.Equals(e.Type, received.EventType, StringComparison.OrdinalIgnoreCase)))
                {
                    var transition = definition.ModelKey is { } model ? byContact.GetValueOrDefault((model, arrival.ContactId)) : null;
                    firings.Add(new Firing(automation, arrival.ContactId, transition, arrival, $"event-received {arrival.Type}"));
                }

                continue;
            }

            foreach (var transition in transitions)
            {
                if (transition.Kind == RecordKind.Contact && transition.ModelKey == definition.ModelKey && definition.Trigger.CrossedBy(transition.Before, transition.After) is { } text)
                {
                    firings.Add(new Firing(automation, transition.RecordId, transition, null, text));
                }
            }
        }

        return firings;
    }

    /// <summary>
    /// Runs the firings whose conditions pass and returns the contacts whose fields or points the
    /// actions changed, to re-score in the same transaction.
    /// </summary>
    public async Task<(Touched FollowUp, int Ran)> RunAsync(IReadOnlyList<Firing> firings)
    {
        var followUp = new Touched();
        if (firings.Count == 0)
        {
            return (followUp, 0);
        }

        var contacts = await LoadContactsAsync(firings.Select(f => f.ContactId).Distinct(StringComparer.Ordinal).ToList()).ConfigureAwait(false);
        var currentScores = new Dictionary<(string Model, string Contact), (ScoreState State, string Line)?>();
        var ran = 0;
        foreach (var firing in firings)
        {
            // A contact erased or deleted in this same transaction has nothing left to act on.
            if (!contacts.TryGetValue(firing.ContactId, out var contact))
            {
                continue;
            }

            var definition = firing.Automation.Definition;
            if (definition.Conditions is { } conditions && !conditions.Matches(contact.Fields, session.Now))
            {
                continue;
            }

            var score = firing.Transition is { } t ? (t.After, t.Line)
                : definition.ModelKey is { } model ? await CurrentScoreAsync(currentScores, model, firing.ContactId).ConfigureAwait(false)
                : null;
            var done = new List<string>(definition.Actions.Length);
            foreach (var action in definition.Actions)
            {
                done.Add(await ApplyAsync(firing, contact, score, action, followUp).ConfigureAwait(false));
            }

            await RecordRunAsync(firing, score?.State, done).ConfigureAwait(false);
            ran++;
        }

        foreach (var (id, contact) in contacts.Where(c => c.Value.Changed))
        {
            await session.ExecuteAsync(
                "UPDATE contacts SET fields = @fields, field_times = @times, updated_at_us = @at WHERE workspace_id = @workspace AND id = @id",
                c => c.With("@fields", FieldJson.Write(contact.Fields)).With("@times", FieldTimes.Touched(contact.FieldTimes, contact.ChangedFields, session.NowUs))
                    .With("@at", session.NowUs).With("@workspace", workspace.Value).With("@id", id),
                cancellationToken).ConfigureAwait(false);
        }

        return (followUp, ran);
    }

    private async Task<string> ApplyAsync(Firing firing, ContactState contact, (ScoreState State, string Line)? score, AutomationAction action, Touched followUp)
    {
        var automationId = firing.Automation.Id;
        void SetField(string name, FieldValue? value)
        {
            var changed = value is { } set
                ? !contact.Fields.TryGetValue(name, out var old) || old != set
                : contact.Fields.ContainsKey(name);
            if (!changed)
            {
                return;
            }

            if (value is { } newValue)
            {
                contact.Fields[name] = newValue;
            }
            else
            {
                contact.Fields.Remove(name);
            }

            contact.ChangedFields.Add(name);
            followUp.Contacts[firing.ContactId] = new ChangeReason(ScoreChangeCause.Automation, automationId);
        }

        switch (action)
        {
            case AddTagAction add:
                SetField($"tag.{add.Tag}", FieldValue.FromBoolean(true));
                return $"tag '{add.Tag}' added";
            case RemoveTagAction remove:
                SetField($"tag.{remove.Tag}", null);
                return $"tag '{remove.Tag}' removed";
            case AddToListAction list:
                if (!contact.Fields.ContainsKey($"list.{list.List}"))
                {
                    SetField($"list.{list.List}", FieldValue.FromDate(session.Now));
                    return $"added to list '{list.List}'";
                }

                return $"already on list '{list.List}'";
            case SetLifecycleStageAction stage:
                var name = LifecycleStages.Of(stage.Stage);
                SetField("lifecycleStage", FieldValue.FromText(name));
                if (!contact.Fields.ContainsKey($"lifecycle.{name}"))
                {
                    SetField($"lifecycle.{name}", FieldValue.FromDate(session.Now));
                }

                return $"lifecycle stage set to {name}";
            case AssignOwnerAction assign:
                return await AssignOwnerAsync(firing, contact, assign, SetField).ConfigureAwait(false);
            case AdjustScoreAction adjust:
                var model = firing.Automation.Definition.ModelKey!;
                await using (var insert = session.Command("""
                    INSERT INTO adjustments (workspace_id, model_key, record_kind, record_id, category, points, reason, expires_at_us, created_at_us)
                    VALUES (@workspace, @model, 'contact', @id, @category, @points, @reason, @expires, @at)
                    """).With("@workspace", workspace.Value).With("@model", model).With("@id", firing.ContactId)
                    .With("@category", adjust.Category).With("@points", adjust.Points).With("@reason", adjust.Reason)
                    .With("@expires", adjust.ExpiresAfter is { } after ? session.NowUs + (after.Ticks / 10) : null).With("@at", session.NowUs))
                {
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                followUp.Contacts[firing.ContactId] = new ChangeReason(ScoreChangeCause.Adjustment, automationId);
                return $"{adjust.Points.ToString("+0.##;-0.##", CultureInfo.InvariantCulture)} points in {adjust.Category} under {model}";
            case WebhookAction webhook:
                var deliveryId = Guid.CreateVersion7(session.Now).ToString();
                await using (var outbox = session.Command("""
                    INSERT INTO deliveries (workspace_id, id, automation_id, contact_id, url, payload, state, attempts, created_at_us, retry_from_us, next_attempt_at_us)
                    VALUES (@workspace, @id, @automation, @contact, @url, @payload, 'pending', 0, @at, @at, @at)
                    """).With("@workspace", workspace.Value).With("@id", deliveryId).With("@automation", automationId).With("@contact", firing.ContactId)
                    .With("@url", webhook.Url.ToString()).With("@payload", Payload(deliveryId, firing, contact, score)).With("@at", session.NowUs))
                {
                    await outbox.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return $"webhook {deliveryId} queued for {webhook.Url.Host}";
            default:
                throw new InvalidOperationException($"Action {action.Type} has no runner.");
        }
    }

    private async Task<string> AssignOwnerAsync(Firing firing, ContactState contact, AssignOwnerAction assign, Action<string, FieldValue?> setField)
    {
        if (!assign.Overwrite && contact.Fields.TryGetValue("owner", out var current) && !current.IsMissing)
        {
            return $"kept owner {current.Text}";
        }

        string? owner;
        if (assign.ByField is { } field)
        {
            owner = contact.Fields.TryGetValue(field, out var value) && !value.IsMissing && assign.Owners.TryGetValue(value.Text, out var mapped)
                ? mapped
                : assign.Otherwise;
        }
        else
        {
            // One counter per automation, moved under its row lock, so two processes never hand out the same turn.
            var turn = await session.ReadNumberAsync("""
                UPDATE automations SET round_robin_next = round_robin_next + 1 WHERE workspace_id = @workspace AND id = @id RETURNING round_robin_next - 1
                """, c => c.With("@workspace", workspace.Value).With("@id", firing.Automation.Id), cancellationToken).ConfigureAwait(false);
            owner = assign.RoundRobin[(int)(turn % assign.RoundRobin.Length)];
        }

        if (owner is null)
        {
            return $"no owner for {assign.ByField} '{(contact.Fields.TryGetValue(assign.ByField!, out var v) ? v.Text : "")}'";
        }

        setField("owner", FieldValue.FromText(owner));
        return $"owner set to {owner}";
    }

    private async Task RecordRunAsync(Firing firing, ScoreState? after, List<string> done)
    {
        await using var insert = session.Command("""
            INSERT INTO automation_runs (workspace_id, automation_id, contact_id, trigger, model_key, score_before, score_after, cause_id, at_us, actions)
            VALUES (@workspace, @automation, @contact, @trigger, @model, @before, @after, @cause, @at, @actions)
            """).With("@workspace", workspace.Value).With("@automation", firing.Automation.Id).With("@contact", firing.ContactId)
            .With("@trigger", firing.TriggerText).With("@model", firing.Automation.Definition.ModelKey)
            .With("@before", firing.Transition?.Before?.Score).With("@after", after?.Score)
            .With("@cause", firing.Event?.Id ?? firing.Transition?.Reason.CauseId).With("@at", session.NowUs)
            .With("@actions", JsonSerializer.Serialize(done));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Dictionary<string, ContactState>> LoadContactsAsync(List<string> ids)
    {
        // Locked before their fields are read: the actions write them back, and a concurrent field
        // update must wait rather than be overwritten (already held when the re-scorer locked them).
        await session.LockContactsAsync(workspace, ids, cancellationToken).ConfigureAwait(false);
        var contacts = new Dictionary<string, ContactState>(StringComparer.Ordinal);
        await using var command = session.Command($"SELECT id, email, fields, field_times FROM contacts WHERE workspace_id = @workspace AND {session.Dialect.InList("id", "@ids")}")
            .With("@workspace", workspace.Value);
        session.Dialect.AddList(command, "@ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            contacts[reader.GetString(0)] = new ContactState(reader.NullableString(1), FieldJson.Read(reader.GetString(2)), reader.NullableString(3));
        }

        return contacts;
    }

    private async Task<(ScoreState State, string Line)?> CurrentScoreAsync(Dictionary<(string, string), (ScoreState, string)?> cache, string model, string contactId)
    {
        if (cache.TryGetValue((model, contactId), out var cached))
        {
            return cached;
        }

        await using var command = session.Command($"""
            SELECT {StoredScoreState.Columns}, line FROM scores
            WHERE workspace_id = @workspace AND model_key = @model AND record_kind = 'contact' AND record_id = @id
            """).With("@workspace", workspace.Value).With("@model", model).With("@id", contactId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        (ScoreState, string)? found = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (StoredScoreState.Read(reader, 0), reader.GetString(StoredScoreState.ColumnCount))
            : null;
        cache[(model, contactId)] = found;
        return found;
    }

    /// <summary>
    /// The webhook body: the change as it stood when it happened (the contact's fields after the
    /// actions before this one), so a retry a day later still says what happened then.
    /// </summary>
    private string Payload(string deliveryId, Firing firing, ContactState contact, (ScoreState State, string Line)? score)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("deliveryId", deliveryId);
            writer.WriteString("type", "automation.fired");
            writer.WriteString("occurredAt", session.Now);
            writer.WriteString("workspace", workspace.Value);
            writer.WriteStartObject("automation");
            writer.WriteString("id", firing.Automation.Id);
            writer.WriteString("name", firing.Automation.Name);
            writer.WriteEndObject();
            writer.WritePropertyName("trigger");
            writer.WriteRawValue(firing.Automation.TriggerJson);

            writer.WriteString("fired", firing.TriggerText);
            writer.WriteStartObject("contact");
            writer.WriteString("id", firing.ContactId);
            if (contact.Email is { } email)
            {
                writer.WriteString("email", email);
            }

            writer.WritePropertyName("fields");
            writer.WriteRawValue(FieldJson.Write(contact.Fields));
            writer.WriteEndObject();
            if (firing.Automation.Definition.ModelKey is { } model)
            {
                writer.WriteString("model", model);
            }

            WriteState(writer, "before", firing.Transition is { } t ? t.Before : score?.State);
            WriteState(writer, "after", score?.State);
            if (score is { } s)
            {
                writer.WritePropertyName("explanation");
                writer.WriteRawValue(s.Line);
            }

            if (firing.Event is { } arrival)
            {
                writer.WriteStartObject("event");
                writer.WriteString("id", arrival.Id);
                writer.WriteString("type", arrival.Type);
                writer.WriteString("occurredAt", Micros.ToInstant(arrival.OccurredAtUs));
                if (arrival.Properties is { } properties)
                {
                    writer.WritePropertyName("properties");
                    writer.WriteRawValue(properties);
                }

                writer.WriteEndObject();
            }
            else if (firing.Transition is { } cause)
            {
                writer.WriteStartObject("cause");
                writer.WriteString("type", Names.Of(cause.Reason.Cause));
                writer.WriteString("id", cause.Reason.CauseId);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteState(Utf8JsonWriter writer, string name, ScoreState? state)
    {
        if (state is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteNumber("score", state.Score);
        writer.WriteNumber("points", state.Points);
        writer.WriteString("grade", state.Grade);
        writer.WriteStartArray("thresholds");
        foreach (var threshold in state.Thresholds)
        {
            writer.WriteStringValue(threshold);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("qualified", state.Qualified);
        writer.WriteBoolean("disqualified", state.Disqualified);
        writer.WriteBoolean("requirementsMet", state.RequirementsMet);
        writer.WriteEndObject();
    }
}
