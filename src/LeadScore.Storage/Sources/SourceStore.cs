using System.Collections.Immutable;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using LeadScore.Engine.Model;
using LeadScore.Engine.Values;
using LeadScore.Storage.Events;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;
using LeadScore.Storage.Tracking;

namespace LeadScore.Storage.Sources;

/// <summary>
/// What Segment, RudderStack and their SDKs send (the Segment Spec): sources and their write keys,
/// the workspace's event mapping, the event names seen, and the ingest of a request's messages in
/// one transaction. A facet of <see cref="ILeadStore"/>, reached as <c>store.Sources</c>.
/// </summary>
public sealed class SourceStore
{
    private const string SourceColumns = "s.workspace_id, s.id, s.name, s.key_id, s.signing_secret, s.created_at_us, s.revoked_at_us";

    private readonly SqlLeadStore _store;

    internal SourceStore(SqlLeadStore store) => _store = store;

    /// <summary>
    /// Makes a source: a write key of scope <see cref="ApiKeyScope.Ingest"/> (shown once) and the
    /// secret its webhook destination signs with.
    /// </summary>
    public async Task<CreatedSource> CreateSourceAsync(WorkspaceId workspace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var key = await _store.Keys.CreateApiKeyAsync(workspace, ApiKeyScope.Ingest, $"source {name.Trim()}", cancellationToken).ConfigureAwait(false);
        var id = "src_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(
            "INSERT INTO sources (workspace_id, id, name, key_id, signing_secret, created_at_us, revoked_at_us) VALUES (@workspace, @id, @name, @key, @secret, @at, NULL)",
            c => c.With("@workspace", workspace.Value).With("@id", id).With("@name", name.Trim()).With("@key", key.Key.Id).With("@secret", secret).With("@at", session.NowUs),
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedSource(new Source(workspace, id, name.Trim(), key.Key.Id, secret, session.Now, null), key.Secret);
    }

    public async Task<IReadOnlyList<Source>> ListSourcesAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            $"SELECT {SourceColumns} FROM sources s WHERE s.workspace_id = @workspace ORDER BY s.created_at_us, s.id",
            c => c.With("@workspace", workspace.Value), ReadSource, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The active source a webhook names, in any workspace; null when unknown or revoked.</summary>
    public async Task<Source?> FindSourceAsync(string id, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64)
        {
            return null;
        }

        return await _store.Dialect.ReadFirstAsync(
            $"SELECT {SourceColumns} FROM sources s WHERE s.id = @id AND s.revoked_at_us IS NULL",
            c => c.With("@id", id), ReadSource, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes a source and its write key in one transaction; false when the workspace has no such active source.</summary>
    public async Task<bool> RevokeSourceAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        string? keyId;
        await using (var revoke = session.Command(
            "UPDATE sources SET revoked_at_us = @at WHERE workspace_id = @workspace AND id = @id AND revoked_at_us IS NULL RETURNING key_id")
            .With("@at", session.NowUs).With("@workspace", workspace.Value).With("@id", id))
        {
            keyId = await revoke.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        if (keyId is null)
        {
            return false;
        }

        await session.ExecuteAsync(
            "UPDATE api_keys SET revoked_at_us = COALESCE(revoked_at_us, @at) WHERE workspace_id = @workspace AND id = @key",
            c => c.With("@at", session.NowUs).With("@workspace", workspace.Value).With("@key", keyId), cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The event mapping in force (<see cref="EventMapping.None"/> until the workspace saves one).</summary>
    public async Task<EventMapping> GetEventMappingAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadMappingAsync(connection, null, workspace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every saved version of the mapping, newest first.</summary>
    public async Task<IReadOnlyList<EventMappingVersion>> ListEventMappingsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            "SELECT version, names, created_at_us, created_by FROM event_mappings WHERE workspace_id = @workspace ORDER BY version DESC",
            c => c.With("@workspace", workspace.Value),
            reader => new EventMappingVersion(new EventMapping((int)reader.GetInt64(0), ReadNames(reader.GetString(1))), Micros.ToInstant(reader.GetInt64(2)), reader.NullableString(3)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Saves a new version of the mapping (the whole of it: names and the type each becomes, or null
    /// to ignore). Events already stored keep their types; the mapping applies to what arrives next.
    /// </summary>
    public async Task<EventMappingVersion> SaveEventMappingAsync(WorkspaceId workspace, IReadOnlyDictionary<string, string?> names, string? savedBy, CancellationToken cancellationToken = default)
    {
        if (EventMapping.Check(names) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(names));
        }

        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        // The insert takes the next version inside the write lock (SQLite) or retries on a clash (two servers at once, PostgreSQL).
        var version = (int)await session.ReadNumberAsync(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM event_mappings WHERE workspace_id = @workspace", c => c.With("@workspace", workspace.Value), cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(
            "INSERT INTO event_mappings (workspace_id, version, names, created_at_us, created_by) VALUES (@workspace, @version, @names, @at, @by)",
            c => c.With("@workspace", workspace.Value).With("@version", version).With("@names", JsonSerializer.Serialize(names.ToImmutableSortedDictionary(StringComparer.Ordinal)))
                .With("@at", session.NowUs).With("@by", savedBy),
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new EventMappingVersion(new EventMapping(version, names), session.Now, savedBy);
    }

    /// <summary>The event names sources sent, most frequent first, each with the type it maps to now.</summary>
    public async Task<IReadOnlyList<SeenEventName>> ListEventNamesAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        var mapping = await GetEventMappingAsync(workspace, cancellationToken).ConfigureAwait(false);
        return await _store.Dialect.ReadAllAsync(
            "SELECT name, seen, last_seen_us FROM source_event_names WHERE workspace_id = @workspace ORDER BY seen DESC, name",
            c => c.With("@workspace", workspace.Value),
            reader => new SeenEventName(mapping.Map(reader.GetString(0)), reader.GetInt64(1), Micros.ToInstant(reader.GetInt64(2))),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies a request's messages in one transaction, answered only once it committed: identify
    /// upserts the contact <c>userId</c> (traits as fields), group the company <c>groupId</c> and links
    /// the person to it, alias merges <c>previousId</c> into <c>userId</c>, and an <c>anonymousId</c>
    /// seen with a <c>userId</c> brings the visitor's earlier activity to that contact. Track, page and
    /// screen are events (id = <c>messageId</c>, type through the workspace's <see cref="EventMapping"/>)
    /// of the user, or of the visitor's contact while anonymous. Every touched record is re-scored
    /// once. A message already applied (same id) counts as a duplicate; one that cannot be stored is
    /// refused alone, with why.
    /// </summary>
    public async Task<SourceIngestResult> IngestAsync(WorkspaceId workspace, IReadOnlyList<SourceMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var now = _store.Time.GetUtcNow();
        await using var session = await _store.Dialect.BeginWriteAsync(now, cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var mapping = await ReadMappingAsync(session.Connection, session.Transaction, workspace, cancellationToken).ConfigureAwait(false);
        var plan = new IngestPlan(workspace, session);
        await plan.ReadAsync(messages, cancellationToken).ConfigureAwait(false);

        var touched = new Touched();
        await plan.WriteIdentitiesAsync(touched, cancellationToken).ConfigureAwait(false);
        var (events, eventIndexes, ignored) = plan.Events(messages, mapping);
        await plan.WriteVisitorsAsync(cancellationToken).ConfigureAwait(false);

        var prepared = EventStore.PreparedEvents.Check(events, now);
        var ingest = await _store.Events.StoreEventsAsync(session, workspace, prepared, strict: false, cancellationToken, touched).ConfigureAwait(false);
        foreach (var rejection in ingest.Rejected)
        {
            plan.Refused.Add(new RefusedMessage(eventIndexes[rejection.Index], rejection.Id, rejection.Reason));
        }

        // Each stored event counts its name once (a repeated id in the request is one event); ignored names count as they arrive.
        var counted = new HashSet<string>(StringComparer.Ordinal);
        await CountNamesAsync(session, workspace, messages.Where(m => m.Call == SourceCall.Track
            && ((ingest.AcceptedIds.Contains(m.MessageId) && counted.Add(m.MessageId)) || mapping.Map(m.EventName!).Type is null)).Select(m => m.EventName!), cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SourceIngestResult(
            plan.Applied + ingest.Accepted, plan.Duplicates + ingest.Duplicates, ignored,
            [.. plan.Refused.OrderBy(r => r.Index)], ingest.Rescored, [.. plan.Created.Concat(ingest.CreatedContacts).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private static async Task CountNamesAsync(WriteSession session, WorkspaceId workspace, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        foreach (var (name, count) in names.GroupBy(n => n, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            await session.ExecuteAsync("""
                INSERT INTO source_event_names (workspace_id, name, seen, last_seen_us) VALUES (@workspace, @name, @count, @at)
                ON CONFLICT (workspace_id, name) DO UPDATE SET seen = source_event_names.seen + excluded.seen, last_seen_us = excluded.last_seen_us
                """,
                c => c.With("@workspace", workspace.Value).With("@name", name.Length > 200 ? name[..200] : name).With("@count", count).With("@at", session.NowUs),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<EventMapping> ReadMappingAsync(DbConnection connection, DbTransaction? transaction, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version, names FROM event_mappings WHERE workspace_id = @workspace ORDER BY version DESC LIMIT 1";
        command.With("@workspace", workspace.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new EventMapping((int)reader.GetInt64(0), ReadNames(reader.GetString(1)))
            : EventMapping.None;
    }

    private static Dictionary<string, string?> ReadNames(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];

    private static Source ReadSource(DbDataReader reader) => new(
        new WorkspaceId(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        Micros.ToInstant(reader.GetInt64(5)), reader.NullableInt64(6) is { } revoked ? Micros.ToInstant(revoked) : null);

    /// <summary>
    /// One request's messages worked out against what is stored: which are new, the contacts and
    /// companies to write, the visitors to link or merge, and the contact each event belongs to.
    /// </summary>
    private sealed class IngestPlan(WorkspaceId workspace, WriteSession session)
    {
        private readonly Dictionary<string, string> _visitors = new(StringComparer.Ordinal);
        private readonly HashSet<string> _newVisitors = new(StringComparer.Ordinal);
        private readonly HashSet<string> _erasedVisitors = new(StringComparer.Ordinal);
        private readonly HashSet<string> _freshIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, PlannedContact> _contacts = new(StringComparer.Ordinal);
        private readonly HashSet<string> _knownContacts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<string, FieldValue>> _companies = new(StringComparer.Ordinal);
        private readonly List<(string Visitor, string Contact)> _links = [];
        private readonly List<(string From, string Into)> _merges = [];
        private readonly Dictionary<string, string?> _companyOf = new(StringComparer.Ordinal);
        private FieldRules _rules = new([]);

        public List<RefusedMessage> Refused { get; } = [];

        /// <summary>Contacts this request's identities made (events' new contacts are the event store's to tell).</summary>
        public List<string> Created { get; } = [];

        public int Duplicates { get; private set; }

        /// <summary>Identify, group and alias messages applied (whether or not they changed a record).</summary>
        public int Applied { get; private set; }

        public async Task ReadAsync(IReadOnlyList<SourceMessage> messages, CancellationToken cancellationToken)
        {
            _rules = new FieldRules(await RecordStore.ReadDefinitionsAsync(session.Connection, session.Transaction, workspace, cancellationToken).ConfigureAwait(false));
            var anonymous = messages.Select(m => m.AnonymousId).Concat(messages.Select(m => m.PreviousId)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            await ReadVisitorsAsync(anonymous, cancellationToken).ConfigureAwait(false);
            await ClaimIdsAsync(messages.Where(m => m.Call is SourceCall.Identify or SourceCall.Group or SourceCall.Alias), cancellationToken).ConfigureAwait(false);
            await ReadCompaniesOfAsync(messages.Where(m => m.GroupId is not null && m.Call is not SourceCall.Group).Select(Subject).OfType<string>(), cancellationToken).ConfigureAwait(false);

            foreach (var message in messages)
            {
                if (message.Call is SourceCall.Track or SourceCall.Page or SourceCall.Screen)
                {
                    PlanActivity(message);
                    continue;
                }

                // Remove: the same id twice in one request is applied once, like a re-sent one.
                if (!_freshIds.Remove(message.MessageId))
                {
                    Duplicates++;
                    continue;
                }

                if (Plan(message) is { } reason)
                {
                    Refused.Add(new RefusedMessage(message.Index, message.MessageId, reason));
                }
                else
                {
                    Applied++;
                }
            }
        }

        /// <summary>Writes companies, then contacts (with their company links), then links and merges visitors and aliases.</summary>
        public async Task WriteIdentitiesAsync(Touched touched, CancellationToken cancellationToken)
        {
            // In id order: the SDKs send several batches at once, and two transactions writing the same
            // records wait on each other instead of deadlocking (PostgreSQL).
            await RecordStore.WriteAsync(session, workspace, RecordKind.Company,
                [.. _companies.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (new RecordStore.Upsert(c.Key, c.Value, null, null), c.Value))], touched, cancellationToken).ConfigureAwait(false);
            var before = await ExistingAsync(_contacts.Keys, cancellationToken).ConfigureAwait(false);
            await RecordStore.WriteAsync(session, workspace, RecordKind.Contact,
                [.. _contacts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (new RecordStore.Upsert(c.Key, c.Value.Fields, null, c.Value.CompanyId), c.Value.Fields))], touched, cancellationToken).ConfigureAwait(false);
            Created.AddRange(_contacts.Keys.Where(id => !before.Contains(id)));
            foreach (var (visitor, contact) in _links)
            {
                var anonymous = TrackingStore.VisitorContactPrefix + visitor;
                await FillMissingFieldsAsync(anonymous, contact, cancellationToken).ConfigureAwait(false);
                if (await TrackingStore.MergeVisitorAsync(session, workspace, anonymous, contact, cancellationToken).ConfigureAwait(false))
                {
                    touched.Contacts[contact] = new ChangeReason(ScoreChangeCause.FieldChange, null);
                }
            }

            foreach (var (from, into) in _merges)
            {
                await FillMissingFieldsAsync(from, into, cancellationToken).ConfigureAwait(false);
                await session.ExecuteAsync(
                    "UPDATE deals SET contact_id = @into WHERE workspace_id = @workspace AND contact_id = @from",
                    c => c.With("@workspace", workspace.Value).With("@into", into).With("@from", from), cancellationToken).ConfigureAwait(false);
                if (await TrackingStore.MergeVisitorAsync(session, workspace, from, into, cancellationToken).ConfigureAwait(false))
                {
                    touched.Contacts[into] = new ChangeReason(ScoreChangeCause.FieldChange, null);
                }
            }
        }

        /// <summary>The events to store, the message each came from, and how many the mapping ignores.</summary>
        public (List<EventInput> Events, List<int> Indexes, int Ignored) Events(IReadOnlyList<SourceMessage> messages, EventMapping mapping)
        {
            var events = new List<EventInput>();
            var indexes = new List<int>();
            var ignored = 0;
            foreach (var message in messages)
            {
                if (message.Call is not (SourceCall.Track or SourceCall.Page or SourceCall.Screen))
                {
                    continue;
                }

                var type = message.Call switch
                {
                    SourceCall.Page => EventMapping.PageType,
                    SourceCall.Screen => EventMapping.ScreenType,
                    _ => mapping.Map(message.EventName!).Type,
                };
                if (type is null || Subject(message) is not { } contact)
                {
                    // Ignored by the mapping, or the visitor of a person who was erased: acknowledged, stored nowhere.
                    ignored++;
                    continue;
                }

                events.Add(new EventInput(message.MessageId, contact, null, type, message.Timestamp, message.Properties));
                indexes.Add(message.Index);
            }

            return (events, indexes, ignored);
        }

        public async Task WriteVisitorsAsync(CancellationToken cancellationToken)
        {
            foreach (var visitor in _newVisitors.Order(StringComparer.Ordinal))
            {
                await session.ExecuteAsync("""
                    INSERT INTO visitors (workspace_id, id, contact_id, first_seen_us, last_seen_us) VALUES (@workspace, @id, @contact, @at, @at)
                    ON CONFLICT (workspace_id, id) DO UPDATE SET contact_id = excluded.contact_id, last_seen_us = excluded.last_seen_us
                    """,
                    c => c.With("@workspace", workspace.Value).With("@id", visitor).With("@contact", _visitors[visitor]).With("@at", session.NowUs),
                    cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>The contact a message is about: the user, or the contact its anonymous visitor is (null: an erased person's browser).</summary>
        private string? Subject(SourceMessage message)
        {
            if (message.UserId is { } user)
            {
                return user;
            }

            var visitor = message.AnonymousId!;
            if (_erasedVisitors.Contains(visitor))
            {
                return null;
            }

            if (!_visitors.TryGetValue(visitor, out var contact))
            {
                contact = TrackingStore.VisitorContactPrefix + visitor;
                _visitors[visitor] = contact;
                _newVisitors.Add(visitor);
            }

            return contact;
        }

        private void PlanActivity(SourceMessage message)
        {
            if (message.UserId is { } user && message.AnonymousId is { } visitor)
            {
                Link(visitor, user);
            }

            if (message.GroupId is { } company && Subject(message) is { } contact && _companyOf.GetValueOrDefault(contact) is null
                && !(_contacts.TryGetValue(contact, out var planned) && planned.CompanyId is not null))
            {
                // context.groupId links a contact that has no company yet; it never moves one.
                Contact(contact).CompanyId = company;
                _companies.TryAdd(company, new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase));
            }
        }

        private string? Plan(SourceMessage message)
        {
            switch (message.Call)
            {
                case SourceCall.Identify:
                    if (_rules.Normalise(RecordKind.Contact, message.Traits, out var fields) is { } badTrait)
                    {
                        return $"traits: {badTrait}";
                    }

                    if (message.UserId is { } user && message.AnonymousId is { } visitor)
                    {
                        Link(visitor, user);
                    }

                    if (Subject(message) is not { } contact)
                    {
                        return null;
                    }

                    var planned = Contact(contact);
                    foreach (var (name, value) in fields)
                    {
                        planned.Fields[name] = value;
                    }

                    if (message.CompanyId is { } companyId)
                    {
                        planned.CompanyId = companyId;
                        _companies.TryAdd(companyId, new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase));
                    }

                    return null;
                case SourceCall.Group:
                    if (_rules.Normalise(RecordKind.Company, message.Traits, out var companyFields) is { } badCompanyTrait)
                    {
                        return $"traits: {badCompanyTrait}";
                    }

                    var company = _companies.TryGetValue(message.GroupId!, out var known) ? known : _companies[message.GroupId!] = new(StringComparer.OrdinalIgnoreCase);
                    foreach (var (name, value) in companyFields)
                    {
                        company[name] = value;
                    }

                    if (message.UserId is { } member && message.AnonymousId is { } memberVisitor)
                    {
                        Link(memberVisitor, member);
                    }

                    if (Subject(message) is { } person)
                    {
                        Contact(person).CompanyId = message.GroupId;
                    }

                    return null;
                default:
                    // Alias: previousId is a visitor (an anonymousId) or a contact; either way it becomes userId.
                    var previous = message.PreviousId!;
                    var into = message.UserId!;
                    if (previous == into)
                    {
                        return null;
                    }

                    Contact(into);
                    if (_visitors.ContainsKey(previous) || _newVisitors.Contains(previous) || !_knownContacts.Contains(previous))
                    {
                        Link(previous, into);
                    }
                    else
                    {
                        _merges.Add((previous, into));
                    }

                    return null;
            }
        }

        /// <summary>The visitor's activity goes to the contact from now on; its anonymous contact, if any, is merged into it.</summary>
        private void Link(string visitor, string contact)
        {
            if (_erasedVisitors.Contains(visitor) || (_visitors.TryGetValue(visitor, out var current) && current == contact))
            {
                return;
            }

            var wasAnonymous = current is null || current.StartsWith(TrackingStore.VisitorContactPrefix, StringComparison.Ordinal);
            _visitors[visitor] = contact;
            _newVisitors.Add(visitor);
            Contact(contact);
            if (wasAnonymous)
            {
                _links.Add((visitor, contact));
            }
        }

        private PlannedContact Contact(string id)
        {
            if (!_contacts.TryGetValue(id, out var planned))
            {
                planned = new PlannedContact();
                _contacts[id] = planned;
            }

            return planned;
        }

        /// <summary>What a request sets on one contact: fields (later messages win) and its company.</summary>
        private sealed class PlannedContact
        {
            public Dictionary<string, FieldValue> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);

            public string? CompanyId { get; set; }
        }

        private async Task ReadVisitorsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
        {
            if (ids.Count == 0)
            {
                return;
            }

            await using (var command = session.Command($"SELECT id, contact_id FROM visitors WHERE workspace_id = @workspace AND {session.Dialect.InList("id", "@ids")}")
                .With("@workspace", workspace.Value))
            {
                session.Dialect.AddList(command, "@ids", ids);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    _visitors[reader.GetString(0)] = reader.GetString(1);
                }
            }

            var subjects = ids.ToDictionary(TrackingStore.VisitorSubject, id => id, StringComparer.Ordinal);
            await using (var erased = session.Command($"SELECT subject_hash FROM erasures WHERE workspace_id = @workspace AND {session.Dialect.InList("subject_hash", "@subjects")}")
                .With("@workspace", workspace.Value))
            {
                session.Dialect.AddList(erased, "@subjects", subjects.Keys.ToList());
                await using var reader = await erased.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    _erasedVisitors.Add(subjects[reader.GetString(0)]);
                }
            }

            // Alias previousIds that are contacts of their own (not visitors) are merged as contacts.
            await using var contacts = session.Command($"SELECT id FROM contacts WHERE workspace_id = @workspace AND {session.Dialect.InList("id", "@ids")}")
                .With("@workspace", workspace.Value);
            session.Dialect.AddList(contacts, "@ids", ids);
            await using var found = await contacts.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await found.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _knownContacts.Add(found.GetString(0));
            }
        }

        /// <summary>Records the ids of identify, group and alias messages; those already there were applied before.</summary>
        private async Task ClaimIdsAsync(IEnumerable<SourceMessage> messages, CancellationToken cancellationToken)
        {
            await using var insert = session.Command(
                "INSERT INTO source_messages (workspace_id, message_id, received_at_us) VALUES (@workspace, @id, @at) ON CONFLICT DO NOTHING")
                .With("@workspace", workspace.Value).With("@id", "").With("@at", session.NowUs);
            foreach (var id in messages.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                insert.Set("@id", id);
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    _freshIds.Add(id);
                }
            }
        }

        private async Task<HashSet<string>> ExistingAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            if (ids.Count == 0)
            {
                return found;
            }

            await using var command = session.Command($"SELECT id FROM contacts WHERE workspace_id = @workspace AND {session.Dialect.InList("id", "@ids")}")
                .With("@workspace", workspace.Value);
            session.Dialect.AddList(command, "@ids", [.. ids]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(reader.GetString(0));
            }

            return found;
        }

        private async Task ReadCompaniesOfAsync(IEnumerable<string> contacts, CancellationToken cancellationToken)
        {
            var ids = contacts.Distinct(StringComparer.Ordinal).ToList();
            if (ids.Count == 0)
            {
                return;
            }

            await using var command = session.Command($"SELECT id, company_id FROM contacts WHERE workspace_id = @workspace AND {session.Dialect.InList("id", "@ids")}")
                .With("@workspace", workspace.Value);
            session.Dialect.AddList(command, "@ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _companyOf[reader.GetString(0)] = reader.NullableString(1);
            }
        }

        /// <summary>Gives <paramref name="into"/> the fields it has no value for from <paramref name="from"/> (an anonymous visitor's traits, an aliased contact).</summary>
        private async Task FillMissingFieldsAsync(string from, string into, CancellationToken cancellationToken)
        {
            await using var read = session.Command("SELECT fields FROM contacts WHERE workspace_id = @workspace AND id = @id")
                .With("@workspace", workspace.Value).With("@id", from);
            if (await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string json)
            {
                return;
            }

            var theirs = FieldJson.Read(json);
            var target = await RecordStore.ReadFieldsAsync(session, workspace, into, cancellationToken).ConfigureAwait(false);
            var missing = theirs.Where(f => !f.Value.IsMissing && !f.Key.Equals("anonymous", StringComparison.OrdinalIgnoreCase)
                && (!target.TryGetValue(f.Key, out var own) || own.IsMissing)).ToDictionary(f => f.Key, f => f.Value, StringComparer.OrdinalIgnoreCase);
            if (missing.Count > 0)
            {
                await RecordStore.WriteAsync(session, workspace, RecordKind.Contact, [(new RecordStore.Upsert(into, missing, null, null), missing)], new Touched(), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>A Segment or RudderStack source: its write key (an ingest key) and the secret its webhook destination signs with.</summary>
public sealed record Source(WorkspaceId Workspace, string Id, string Name, string KeyId, string SigningSecret, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A new source and its write key's text, shown once.</summary>
public sealed record CreatedSource(Source Source, string WriteKey);

/// <summary>A saved version of a workspace's event mapping.</summary>
public sealed record EventMappingVersion(EventMapping Mapping, DateTimeOffset SavedAt, string? SavedBy);

/// <summary>An event name a source sent: how many events, when last, and what it maps to now.</summary>
public sealed record SeenEventName(MappedEventName Mapped, long Count, DateTimeOffset LastSeenAt);

/// <summary>
/// What a request's messages did: accepted (stored, or applied to a record), duplicates (applied
/// before), ignored (the mapping ignores the name, or an erased person's browser), refused (with
/// why), and the scores recomputed.
/// </summary>
public sealed record SourceIngestResult(int Accepted, int Duplicates, int Ignored, ImmutableArray<RefusedMessage> Refused, int Rescored, ImmutableArray<string> CreatedContacts);
