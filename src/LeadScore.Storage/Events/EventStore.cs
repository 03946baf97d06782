using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using LeadScore.Engine.Subjects;
using LeadScore.Storage.Outcomes;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scores;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Events;

/// <summary>
/// The event log: ingest (each event id once per workspace, the touched records re-scored in the same transaction) and read.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Events</c>.
/// </summary>
public sealed class EventStore
{
    /// <summary>Events dated further ahead than this are refused: a clock or unit mistake, not a plan.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    public const int MaxProperties = 64;
    public const int MaxPropertyBytes = 16 * 1024;
    public const int MaxTypeLength = 100;

    // Contacts are read a page at a time with their events, so memory holds one page, not the workspace.
    private const int ActivityPageSize = 1_000;

    private readonly SqlLeadStore _store;

    internal EventStore(SqlLeadStore store) => _store = store;

    /// <summary>
    /// Stores a batch of events, each event id once per workspace, and re-scores the contacts they
    /// touched (and those contacts' deals and companies) in the same transaction.
    /// </summary>
    public async Task<IngestResult> IngestEventsAsync(WorkspaceId workspace, IReadOnlyList<EventInput> events, IngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Checked before the transaction, so the write lock is held for the writing only.
        var batch = PreparedEvents.Check(events, _store.Time.GetUtcNow());
        await using var session = await _store.Dialect.BeginWriteAsync(batch.CheckedAt, cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var result = await StoreEventsAsync(session, workspace, batch, (options ?? IngestOptions.Default).Strict, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>A batch of events checked one by one: those to store, those refused and why, and repeats within the batch.</summary>
    internal sealed record PreparedEvents(
        DateTimeOffset CheckedAt, List<(int Index, EventInput Event, string? Properties)> Valid, List<Rejection> Rejected, int Duplicates)
    {
        public static PreparedEvents Check(IReadOnlyList<EventInput> events, DateTimeOffset now)
        {
            var rejected = new List<Rejection>();
            var valid = new List<(int Index, EventInput Event, string? Properties)>(events.Count);
            var duplicates = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < events.Count; i++)
            {
                var input = events[i];
                var reason = CheckEvent(input, now, out var properties);
                if (reason is not null)
                {
                    rejected.Add(new Rejection(i, input.Id, reason));
                }
                else if (!seen.Add(input.Id))
                {
                    duplicates++;
                }
                else
                {
                    valid.Add((i, input, properties));
                }
            }

            return new PreparedEvents(now, valid, rejected, duplicates);
        }
    }

    /// <summary>
    /// Stores checked events in the session's transaction, creating unknown contacts unless
    /// <paramref name="strict"/>, and re-scores the contacts they touched (running the automations
    /// the new events and scores trigger), with any records the caller's own writes in the same
    /// transaction touched (<paramref name="touched"/>), so every record is re-scored once.
    /// </summary>
    internal async Task<IngestResult> StoreEventsAsync(
        WriteSession session, WorkspaceId workspace, PreparedEvents batch, bool strict, CancellationToken cancellationToken, Touched? touched = null)
    {
        var rejected = new List<Rejection>(batch.Rejected);
        var duplicates = batch.Duplicates;
        var valid = batch.Valid;
        var contacts = await ResolveContactsAsync(session, workspace, valid.Select(v => v.Event).ToList(), strict, cancellationToken).ConfigureAwait(false);

        var rows = new List<StoredEvent>(valid.Count);
        foreach (var (index, input, properties) in valid)
        {
            if (contacts.Resolve(input) is { } contactId)
            {
                rows.Add(new StoredEvent(input.Id, contactId, input.Type, Micros.From(input.OccurredAt), properties, session.NowUs));
            }
            else
            {
                rejected.Add(new Rejection(index, input.Id, input.ContactId is not null
                    ? $"contact '{input.ContactId}' does not exist, and strict mode does not create contacts"
                    : $"no contact has the email '{input.ContactEmail}', and strict mode does not create contacts"));
            }
        }

        var created = !strict && contacts.ToCreate.Count > 0
            ? await CreateContactsAsync(session, workspace, contacts.ToCreate, cancellationToken).ConfigureAwait(false)
            : [];

        var inserted = rows.Count == 0 ? [] : await _store.Dialect.InsertNewEventsAsync(session, workspace, rows, cancellationToken).ConfigureAwait(false);
        duplicates += rows.Count - inserted.Count;

        touched ??= new Touched();
        foreach (var row in rows)
        {
            if (inserted.Contains(row.Id))
            {
                // The last event of the batch for a contact is named as the cause of its change.
                touched.Contacts[row.ContactId] = new ChangeReason(ScoreChangeCause.Event, row.Id);
            }
        }

        var arrived = rows.Where(r => inserted.Contains(r.Id)).ToList();
        var rescored = await _store.Rescorer.RescoreAsync(session, workspace, touched, cancellationToken, arrived).ConfigureAwait(false);
        rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new IngestResult(inserted.Count, duplicates, [.. rejected], [.. created.Order(StringComparer.Ordinal)], rescored)
        {
            AcceptedIds = inserted,
        };
    }

    /// <summary>A contact's events, oldest first: its activity timeline, and what a fresh re-score reads.</summary>
    public async Task<IReadOnlyList<ActivityEvent>> GetEventsAsync(WorkspaceId workspace, string contactId, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            "SELECT id, type, occurred_at_us, properties FROM events WHERE workspace_id = @workspace AND contact_id = @contact ORDER BY occurred_at_us, id",
            c => c.With("@workspace", workspace.Value).With("@contact", contactId),
            reader => new ActivityEvent(reader.GetString(0), reader.GetString(1), Micros.ToInstant(reader.GetInt64(2)),
                reader.NullableString(3) is { } properties ? FieldJson.Read(properties) : null),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The event types a workspace knows: those its stored events have and those its published
    /// models' rules read, ordered. The stored ones take a scan of the workspace's events (no index
    /// leads by type), so a caller on a hot path keeps the answer for a while.
    /// </summary>
    public async Task<IReadOnlyList<string>> GetKnownEventTypesAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        var stored = await _store.Dialect.ReadAllAsync(
            "SELECT DISTINCT type FROM events WHERE workspace_id = @workspace",
            c => c.With("@workspace", workspace.Value), reader => reader.GetString(0), cancellationToken).ConfigureAwait(false);
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var published = await _store.Catalog.PublishedAsync(connection, null, workspace, cancellationToken).ConfigureAwait(false);
        return [.. stored.Concat(published.SelectMany(m => m.Compiled.Watched.Types)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The current scores, under the published models, of the contact a stored event belongs to,
    /// by model key: what the event left its contact with. Empty when the event is not stored.
    /// </summary>
    public async Task<IReadOnlyList<StoredScore>> GetScoresOfEventContactAsync(WorkspaceId workspace, string eventId, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            $"""
            SELECT {ScoreStore.ScoreColumns} FROM scores
            WHERE workspace_id = @workspace AND record_kind = 'contact'
              AND record_id = (SELECT contact_id FROM events WHERE workspace_id = @workspace AND id = @event)
              AND model_key IN (SELECT model_key FROM models WHERE workspace_id = @workspace AND status = 'published')
            ORDER BY model_key
            """,
            c => c.With("@workspace", workspace.Value).With("@event", eventId), ScoreStore.ReadScore, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountEventsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadNumberAsync(
            "SELECT COUNT(*) FROM events WHERE workspace_id = @workspace",
            c => c.With("@workspace", workspace.Value),
            cancellationToken).ConfigureAwait(false);
    }

    private static string? CheckEvent(EventInput input, DateTimeOffset now, out string? properties)
    {
        properties = null;
        if (FieldRules.CheckId(input.Id, "event") is { } badId)
        {
            return badId;
        }

        if (string.IsNullOrWhiteSpace(input.Type) || input.Type.Length > MaxTypeLength)
        {
            return $"the event type must be 1 to {MaxTypeLength} characters, such as page_view or demo_requested";
        }

        if ((FieldRules.CheckText(input.Type, "the event type") ?? FieldRules.CheckText(input.ContactEmail, "the contact email")) is { } badText)
        {
            return badText;
        }

        if (string.IsNullOrWhiteSpace(input.ContactId) && string.IsNullOrWhiteSpace(input.ContactEmail))
        {
            return "no contact: name the contact by id or by email";
        }

        if (input.ContactId is not null && FieldRules.CheckId(input.ContactId, "contact") is { } badContact)
        {
            return badContact;
        }

        if (input.OccurredAt > now + MaxFutureSkew)
        {
            return $"occurredAt {input.OccurredAt:O} is more than {MaxFutureSkew.TotalHours:0} hours in the future; check the clock or the time zone of the sender";
        }

        if (input.Properties is { Count: > 0 } bag)
        {
            if (bag.Count > MaxProperties)
            {
                return $"{bag.Count} properties; an event carries at most {MaxProperties}";
            }

            foreach (var (name, value) in bag)
            {
                if ((FieldRules.CheckText(name, "a property name") ?? FieldRules.CheckText(value.Text, $"property '{name}'")) is { } badProperty)
                {
                    return badProperty;
                }
            }

            properties = FieldJson.Write(bag);
            var size = Encoding.UTF8.GetByteCount(properties);
            if (size > MaxPropertyBytes)
            {
                properties = null;
                return $"the properties take {size:N0} bytes; an event carries at most {MaxPropertyBytes:N0}";
            }
        }

        return null;
    }

    /// <summary>The contacts a batch names, by id or email, and the ones to create because nobody knows them yet.</summary>
    private sealed class ContactResolution
    {
        public HashSet<string> KnownIds { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> IdsByEmail { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>New contact id and the email it should carry (if it was named by email).</summary>
        public Dictionary<string, string?> ToCreate { get; } = new(StringComparer.Ordinal);

        public bool Strict { get; init; }

        public string? Resolve(EventInput input)
        {
            if (!string.IsNullOrWhiteSpace(input.ContactId))
            {
                if (KnownIds.Contains(input.ContactId))
                {
                    return input.ContactId;
                }

                if (Strict)
                {
                    return null;
                }

                ToCreate.TryAdd(input.ContactId, input.ContactEmail?.ToLowerInvariant());
                return input.ContactId;
            }

            var email = input.ContactEmail!.Trim().ToLowerInvariant();
            if (IdsByEmail.TryGetValue(email, out var id))
            {
                return id;
            }

            if (Strict)
            {
                return null;
            }

            // A contact known only by email gets the email as its id.
            ToCreate.TryAdd(email, email);
            IdsByEmail[email] = email;
            return email;
        }
    }

    private static async Task<ContactResolution> ResolveContactsAsync(
        WriteSession session, WorkspaceId workspace, IReadOnlyList<EventInput> events, bool strict, CancellationToken cancellationToken)
    {
        var resolution = new ContactResolution { Strict = strict };
        var ids = events.Select(e => e.ContactId).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > 0)
        {
            await using var command = session.Command($"SELECT id FROM contacts WHERE workspace_id = @workspace AND {session.Dialect.InList("id", "@ids")}")
                .With("@workspace", workspace.Value);
            session.Dialect.AddList(command, "@ids", ids!);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                resolution.KnownIds.Add(reader.GetString(0));
            }
        }

        var emails = events.Where(e => string.IsNullOrWhiteSpace(e.ContactId)).Select(e => e.ContactEmail!.Trim().ToLowerInvariant())
            .Distinct(StringComparer.Ordinal).ToList();
        if (emails.Count > 0)
        {
            await using var command = session.Command($"SELECT email, id FROM contacts WHERE workspace_id = @workspace AND {session.Dialect.InList("email", "@emails")} ORDER BY id")
                .With("@workspace", workspace.Value);
            session.Dialect.AddList(command, "@emails", emails);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                resolution.IdsByEmail.TryAdd(reader.GetString(0), reader.GetString(1));
            }
        }

        return resolution;
    }

    /// <summary>Creates the contacts and returns those this transaction created (another may have created some first).</summary>
    private static async Task<List<string>> CreateContactsAsync(WriteSession session, WorkspaceId workspace, Dictionary<string, string?> contacts, CancellationToken cancellationToken)
    {
        var created = new List<string>();
        await using var insert = session.Command("""
            INSERT INTO contacts (workspace_id, id, email, company_id, fields, created_at_us, updated_at_us)
            VALUES (@workspace, @id, @email, NULL, @fields, @at, @at) ON CONFLICT DO NOTHING
            """).With("@workspace", workspace.Value).With("@at", session.NowUs).With("@id", "").With("@email", null).With("@fields", "");
        // In id order: two batches creating the same contacts wait on each other instead of deadlocking.
        foreach (var (id, email) in contacts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            insert.Set("@id", id);
            insert.Set("@email", email);
            insert.Set("@fields", email is null ? "{}" : FieldJson.Write([new("email", Engine.Values.FieldValue.FromText(email))]));
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                created.Add(id);
            }
        }

        return created;
    }

    /// <summary>
    /// Every contact with its fields, its whole activity and its first conversion (a conversion outcome
    /// or a won deal of its own, with that deal's amount), by id, a page at a time: what predictive
    /// training builds its as-of snapshots from.
    /// </summary>
    public async IAsyncEnumerable<ContactActivity> ReadContactActivityAsync(WorkspaceId workspace, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var conversions = await OutcomeStore.ReadConversionsAsync(connection, workspace, cancellationToken).ConfigureAwait(false);
        var after = "";
        while (true)
        {
            var page = new List<(string Id, string Fields, long StoredAtUs, string? FieldTimes)>(ActivityPageSize);
            await using (var contacts = connection.CreateCommand())
            {
                contacts.CommandText = $"SELECT id, fields, created_at_us, field_times FROM contacts WHERE workspace_id = @workspace AND id > @after ORDER BY id LIMIT {ActivityPageSize}";
                contacts.With("@workspace", workspace.Value).With("@after", after);
                await using var reader = await contacts.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    page.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.NullableString(3)));
                }
            }

            if (page.Count == 0)
            {
                yield break;
            }

            var events = new Dictionary<string, List<ActivityEvent>>(StringComparer.Ordinal);
            await using (var select = connection.CreateCommand())
            {
                select.CommandText = $"""
                    SELECT contact_id, id, type, occurred_at_us, properties FROM events
                    WHERE workspace_id = @workspace AND {_store.Dialect.InList("contact_id", "@ids")} ORDER BY contact_id, occurred_at_us, id
                    """;
                select.With("@workspace", workspace.Value);
                _store.Dialect.AddList(select, "@ids", page.Select(p => p.Id).ToList());
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var properties = reader.NullableString(4);
                    var activity = new ActivityEvent(reader.GetString(1), reader.GetString(2), Micros.ToInstant(reader.GetInt64(3)),
                        properties is null ? null : new LazyProperties(properties));
                    (events.TryGetValue(reader.GetString(0), out var list) ? list : events[reader.GetString(0)] = []).Add(activity);
                }
            }

            foreach (var (id, fields, storedAtUs, fieldTimes) in page)
            {
                var conversion = conversions.GetValueOrDefault(id);
                yield return new ContactActivity(id, FieldJson.Read(fields), Micros.ToInstant(storedAtUs),
                    events.TryGetValue(id, out var own) ? own : [], conversion?.At, conversion?.Amount)
                {
                    FieldsChangedAt = FieldTimes.Read(fieldTimes),
                };
            }

            after = page[^1].Id;
        }
    }
}
