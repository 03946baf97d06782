using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;
using LeadScore.Storage.Automations;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Scoring;

/// <summary>
/// Recomputes the scores of the records a write touched, inside that write's transaction: loads
/// each record's fields and events once, scores it under every published model of its target as of
/// the transaction's instant, and writes the current score and, when it changed, a history row.
/// </summary>
internal sealed class Rescorer(ModelCatalog catalog, AutomationCatalog automations)
{
    /// <summary>
    /// How many times automations may run in a row in one transaction, each on the changes the one
    /// before made (a tag that lifts a score over another automation's threshold). Past this the
    /// scores are still brought up to date, but no further automation runs: two automations that
    /// undo each other would otherwise never stop.
    /// </summary>
    public const int MaxAutomationRounds = 3;

    /// <summary>The published models it scores with, which the store also reads.</summary>
    public ModelCatalog Catalog => catalog;

    public AutomationCatalog Automations => automations;

    /// <summary>A contact as loaded; its fields (stored UTF-8 JSON) are parsed on first use, on whichever thread scores it.</summary>
    internal sealed class ContactRow(string id, string? companyId, byte[] fieldsJson)
    {
        private Dictionary<string, FieldValue>? _fields;

        public string Id => id;

        public string? CompanyId => companyId;

        // Two threads may parse the same contact (two deals of one contact); both build the same dictionary.
        public Dictionary<string, FieldValue> Fields => _fields ??= FieldJson.Read(fieldsJson);
    }

    private sealed record DealRow(string Id, string? ContactId, string? CompanyId, Dictionary<string, FieldValue> Fields);

    /// <summary>
    /// The stored score a new one replaces, as read. What automations compare (<see cref="StoredScoreColumns.ToState"/>) is
    /// only built when a workspace has automations: every ingest reads one of these per contact.
    /// </summary>
    private sealed record PreviousScore(StoredScoreColumns Stored, string Line, long ScoredAtUs);

    /// <summary>
    /// Re-scores and returns how many scores were written; then runs the automations the changed
    /// scores (and the newly <paramref name="arrived"/> events) trigger, in the same transaction.
    /// </summary>
    public async Task<int> RescoreAsync(WriteSession session, WorkspaceId workspace, Touched touched, CancellationToken cancellationToken, IReadOnlyList<StoredEvent>? arrived = null, ReadAhead? readAhead = null)
    {
        if (touched.IsEmpty)
        {
            return 0;
        }

        var active = await automations.ActiveAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        if (active.Count == 0)
        {
            return await ScoreAsync(session, workspace, touched, null, cancellationToken, readAhead).ConfigureAwait(false);
        }

        var transitions = new List<ScoreTransition>();
        var written = await ScoreAsync(session, workspace, touched, transitions, cancellationToken, readAhead).ConfigureAwait(false);
        var automated = await RunAutomationsAsync(session, workspace, active, AutomationRunner.Match(active, transitions, arrived ?? []), cancellationToken).ConfigureAwait(false);
        return written + automated.Written;
    }

    /// <summary>
    /// Runs firings, re-scores what their actions changed, and runs the automations those changes
    /// trigger in turn, at most <see cref="MaxAutomationRounds"/> rounds. Returns the scores written,
    /// and how many of the given firings ran (their conditions passed).
    /// </summary>
    public async Task<(int Written, int Ran)> RunAutomationsAsync(WriteSession session, WorkspaceId workspace, IReadOnlyList<ActiveAutomation> active, List<AutomationRunner.Firing> firings, CancellationToken cancellationToken)
    {
        var runner = new AutomationRunner(session, workspace, cancellationToken);
        var written = 0;
        var ran = 0;
        var transitions = new List<ScoreTransition>();
        for (var round = 1; firings.Count > 0; round++)
        {
            var (followUp, ranNow) = await runner.RunAsync(firings).ConfigureAwait(false);
            ran = round == 1 ? ranNow : ran;
            if (followUp.IsEmpty)
            {
                break;
            }

            transitions.Clear();
            written += await ScoreAsync(session, workspace, followUp, transitions, cancellationToken).ConfigureAwait(false);
            firings = round < MaxAutomationRounds ? AutomationRunner.Match(active, transitions, []) : [];
        }

        return (written, ran);
    }

    private async Task<int> ScoreAsync(WriteSession session, WorkspaceId workspace, Touched touched, List<ScoreTransition>? transitions, CancellationToken cancellationToken, ReadAhead? readAhead = null)
    {
        // Lock before reading, the published models included: a concurrent transaction (a publish job,
        // another ingest, on this server or another) must not write a score computed from events this one
        // has not seen, or the other way round, nor from a model version older than the one it wrote with
        // (read first, a publication committed meanwhile made an ingest overwrite the new version's score
        // with the old one's, and a lead crossed its threshold twice).
        await session.LockContactsAsync(workspace, touched.Contacts.Keys, cancellationToken).ConfigureAwait(false);
        var models = (await catalog.PublishedAsync(session.Connection, session.Transaction, workspace, cancellationToken).ConfigureAwait(false))
            .Where(m => touched.OnlyModel is null || m.Key == touched.OnlyModel)
            .ToList();
        if (models.Count == 0)
        {
            return 0;
        }

        var load = new Loader(session.Dialect, session.Connection, session.Transaction, workspace, cancellationToken);
        var wantsDeals = models.Any(m => m.Target == RecordKind.Deal);
        var wantsCompanies = models.Any(m => m.Target == RecordKind.Company);
        var contacts = readAhead?.Contacts ?? await load.ContactsAsync(touched.Contacts.Keys).ConfigureAwait(false);

        // A contact's deals see its fields; its company counts its events.
        var dealReasons = new Dictionary<string, ChangeReason>(touched.Deals, StringComparer.Ordinal);
        var companyReasons = new Dictionary<string, ChangeReason>(touched.Companies, StringComparer.Ordinal);
        if (wantsDeals)
        {
            foreach (var (dealId, contactId) in await load.PairsAsync("SELECT id, contact_id FROM deals WHERE workspace_id = @workspace AND ", "contact_id", touched.Contacts.Keys).ConfigureAwait(false))
            {
                dealReasons.TryAdd(dealId, touched.Contacts[contactId]);
            }

            foreach (var (dealId, companyId) in await load.PairsAsync("SELECT id, company_id FROM deals WHERE workspace_id = @workspace AND ", "company_id", touched.Companies.Keys).ConfigureAwait(false))
            {
                dealReasons.TryAdd(dealId, touched.Companies[companyId]);
            }
        }

        if (wantsCompanies)
        {
            foreach (var contact in contacts.Values)
            {
                if (contact.CompanyId is { } companyId && touched.Contacts.TryGetValue(contact.Id, out var reason))
                {
                    companyReasons.TryAdd(companyId, reason);
                }
            }
        }

        var deals = wantsDeals ? await load.DealsAsync(dealReasons.Keys).ConfigureAwait(false) : [];
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (wantsCompanies)
        {
            foreach (var (contactId, companyId) in await load.PairsAsync("SELECT id, company_id FROM contacts WHERE workspace_id = @workspace AND ", "company_id", companyReasons.Keys).ConfigureAwait(false))
            {
                (members.TryGetValue(companyId, out var list) ? list : members[companyId] = []).Add(contactId);
            }
        }

        var moreContacts = deals.Values.Select(d => d.ContactId).OfType<string>()
            .Where(id => !contacts.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (id, row) in await load.ContactsAsync(moreContacts).ConfigureAwait(false))
        {
            contacts[id] = row;
        }

        var companies = await load.CompaniesAsync(companyReasons.Keys
            .Concat(deals.Values.Select(d => d.CompanyId).OfType<string>())
            .Distinct(StringComparer.Ordinal).ToList()).ConfigureAwait(false);

        var eventOwners = new HashSet<string>(contacts.Keys, StringComparer.Ordinal);
        eventOwners.UnionWith(members.Values.SelectMany(m => m));
        await session.LockContactsAsync(workspace, eventOwners.Where(id => !touched.Contacts.ContainsKey(id)), cancellationToken).ConfigureAwait(false);
        var events = readAhead?.Events ?? await load.EventsAsync(eventOwners, WatchedEvents.Union(models.Select(m => m.Compiled.Watched)), session.Now).ConfigureAwait(false);

        var written = 0;
        foreach (var model in models)
        {
            IReadOnlyDictionary<string, ChangeReason> reasons = model.Target switch
            {
                RecordKind.Contact => touched.Contacts,
                RecordKind.Deal => dealReasons,
                _ => companyReasons,
            };
            if (reasons.Count == 0)
            {
                continue;
            }

            var ids = reasons.Keys.ToList();
            var previous = await load.ScoresAsync(model.Key, model.Target, ids).ConfigureAwait(false);
            var adjustments = await load.AdjustmentsAsync(model.Key, model.Target, ids).ConfigureAwait(false);
            await using var writer = new ScoreWriter(session, workspace, model, transitions);
            ScoringSubject? SubjectOf(string id) => model.Target switch
            {
                RecordKind.Contact => contacts.TryGetValue(id, out var contact)
                    ? ScoringSubject.ForContact(id, contact.Fields, EventsOf(events, id), adjustments.GetValueOrDefault(id))
                    : null,
                RecordKind.Deal => deals.TryGetValue(id, out var deal)
                    ? ScoringSubject.ForDeal(
                        id,
                        deal.Fields,
                        deal.ContactId is { } c && contacts.TryGetValue(c, out var dealContact) ? dealContact.Fields : null,
                        deal.CompanyId is { } co && companies.TryGetValue(co, out var dealCompany) ? dealCompany : null,
                        deal.ContactId is { } owner ? EventsOf(events, owner) : [],
                        adjustments.GetValueOrDefault(id))
                    : null,
                _ => companies.TryGetValue(id, out var company)
                    ? ScoringSubject.ForCompany(
                        id,
                        company,
                        members.GetValueOrDefault(id, []).Select(m => EventsOf(events, m)),
                        adjustments.GetValueOrDefault(id))
                    : null,
            };

            await foreach (var (card, line) in ScoreAllAsync(model, ids, SubjectOf, session.Now, cancellationToken).ConfigureAwait(false))
            {
                if (card is null)
                {
                    continue;
                }

                if (await writer.WriteAsync(card, line, previous.GetValueOrDefault(card.SubjectId), reasons[card.SubjectId], cancellationToken).ConfigureAwait(false))
                {
                    written++;
                }
            }
        }

        return written;
    }

    /// <summary>
    /// Scores and serialises the records, on every core when there are many (a publish job's chunk):
    /// the compiled model is thread-safe, and the database work around it stays on one thread. Cards
    /// come out in blocks as they are ready, so the caller writes one block while the next is scored.
    /// </summary>
    [SuppressMessage("Design", "CA1031", Justification = "The scoring thread hands any failure to the channel, whose reader rethrows it to the caller.")]
    private static async IAsyncEnumerable<(ScoreCard? Card, string Line)> ScoreAllAsync(
        PublishedModel model, List<string> ids, Func<string, ScoringSubject?> subjectOf, DateTimeOffset asOf,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var recordKey = Names.Of(model.Target);

        (ScoreCard?, string) ScoreOne(string id)
        {
            // A record deleted since it was touched has nothing to score.
            if (subjectOf(id) is not { } subject)
            {
                return (null, "");
            }

            var card = model.Compiled.Score(subject, asOf);
            return (card, ScoreLine.ToJson(card, recordKey));
        }

        if (ids.Count < ParallelFrom || Environment.ProcessorCount == 1)
        {
            foreach (var id in ids)
            {
                yield return ScoreOne(id);
            }

            yield break;
        }

        var blocks = Channel.CreateUnbounded<(ScoreCard?, string)[]>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scoring = Task.Run(
            () =>
            {
                try
                {
                    Parallel.ForEach(
                        Partitioner.Create(0, ids.Count, BlockSize),
                        new ParallelOptions { CancellationToken = stop.Token },
                        range =>
                        {
                            var block = new (ScoreCard?, string)[range.Item2 - range.Item1];
                            for (var i = 0; i < block.Length; i++)
                            {
                                block[i] = ScoreOne(ids[range.Item1 + i]);
                            }

                            blocks.Writer.TryWrite(block);
                        });
                    blocks.Writer.Complete();
                }
                catch (Exception e)
                {
                    blocks.Writer.Complete(e);
                }
            },
            CancellationToken.None);
        try
        {
            await foreach (var block in blocks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var scored in block)
                {
                    yield return scored;
                }
            }
        }
        finally
        {
            // The caller stopped early (a failed write): the scorers stop too, before the data they read goes away.
            await stop.CancelAsync().ConfigureAwait(false);
            await scoring.ConfigureAwait(false);
        }
    }

    /// <summary>Records scored together and handed to the writer at once: small enough that writing starts early.</summary>
    private const int BlockSize = 64;

    /// <summary>Below this many records a batch scores on one thread: handing work out would cost more than it saves.</summary>
    private const int ParallelFrom = 256;

    private static IReadOnlyList<ActivityEvent> EventsOf(Dictionary<string, List<ActivityEvent>> events, string contactId) =>
        events.TryGetValue(contactId, out var list) ? list : [];

    /// <summary>Writes scores of one model with statements prepared once per batch.</summary>
    private sealed class ScoreWriter : IAsyncDisposable
    {
        private readonly PublishedModel _model;
        private readonly long _nowUs;
        private readonly List<ScoreTransition>? _transitions;
        private readonly HotStatement _upsert;
        private readonly HotStatement _history;

        public ScoreWriter(WriteSession session, WorkspaceId workspace, PublishedModel model, List<ScoreTransition>? transitions)
        {
            _model = model;
            _transitions = transitions;
            _nowUs = session.NowUs;
            var recordKey = Names.Of(model.Target);
            _upsert = session.Prepare("""
                INSERT INTO scores (workspace_id, model_key, record_kind, record_id, model_version, score, points, grade,
                    qualified, disqualified_by, thresholds, scored_at_us, next_change_at_us, line, requirements_met)
                VALUES (@workspace, @model, @kind, @record, @version, @score, @points, @grade,
                    @qualified, @disqualified, @thresholds, @at, @next, @line, @met)
                ON CONFLICT (workspace_id, model_key, record_kind, record_id) DO UPDATE SET
                    model_version = excluded.model_version, score = excluded.score, points = excluded.points,
                    grade = excluded.grade, qualified = excluded.qualified, disqualified_by = excluded.disqualified_by,
                    thresholds = excluded.thresholds, scored_at_us = excluded.scored_at_us,
                    next_change_at_us = excluded.next_change_at_us, line = excluded.line, requirements_met = excluded.requirements_met
                """);
            _history = session.Prepare("""
                INSERT INTO score_history (workspace_id, model_key, record_kind, record_id, model_version, at_us,
                    old_score, new_score, old_points, new_points, grade, thresholds, cause, cause_id)
                VALUES (@workspace, @model, @kind, @record, @version, @at, @oldScore, @score, @oldPoints, @points, @grade, @thresholds, @cause, @causeId)
                """);
            foreach (var statement in (ReadOnlySpan<HotStatement>)[_upsert, _history])
            {
                statement.Set("@workspace", workspace.Value);
                statement.Set("@model", model.Key);
                statement.Set("@kind", recordKey);
                statement.Set("@version", model.Version);
            }
        }

        /// <summary>Stores the card when it differs from what is stored; true when it wrote.</summary>
        public async Task<bool> WriteAsync(ScoreCard card, string line, PreviousScore? previous, ChangeReason reason, CancellationToken cancellationToken)
        {
            if (previous is not null && previous.Line == line)
            {
                return false;
            }

            // A transaction that waited for the record's lock may have started before the one that last
            // wrote it: never stamp a change before the change it follows, or the history reads out of order.
            var at = previous is null ? _nowUs : Math.Max(_nowUs, previous.ScoredAtUs);
            var thresholds = string.Join(',', card.Thresholds);
            var requirementsMet = true;
            foreach (var requirement in card.Requirements)
            {
                requirementsMet &= requirement.Met;
            }

            _upsert.Set("@record", card.SubjectId);
            _upsert.Set("@at", at);
            _upsert.Set("@score", card.Score);
            _upsert.Set("@points", card.Points);
            _upsert.Set("@grade", card.Grade);
            _upsert.Set("@qualified", card.Qualified ? 1 : 0);
            _upsert.Set("@disqualified", card.DisqualifiedBy);
            _upsert.Set("@thresholds", thresholds);
            _upsert.Set("@next", Micros.From(card.NextChangeAt));
            _upsert.Set("@line", line);
            _upsert.Set("@met", requirementsMet ? 1 : 0);
            await _upsert.ExecuteAsync(cancellationToken).ConfigureAwait(false);

            // Only when the workspace has automations: otherwise nobody looks at transitions.
            _transitions?.Add(new ScoreTransition(_model.Key, _model.Target, card.SubjectId, previous?.Stored.ToState(), StoredScoreState.Of(card, requirementsMet), line, reason));

            var changed = previous is null || previous.Stored.Score != card.Score || previous.Stored.Points != card.Points
                || previous.Stored.Grade != card.Grade || previous.Stored.Thresholds != thresholds;
            if (changed)
            {
                _history.Set("@record", card.SubjectId);
                _history.Set("@at", at);
                _history.Set("@oldScore", previous?.Stored.Score);
                _history.Set("@score", card.Score);
                _history.Set("@oldPoints", previous?.Stored.Points);
                _history.Set("@points", card.Points);
                _history.Set("@grade", card.Grade);
                _history.Set("@thresholds", thresholds);
                _history.Set("@cause", Names.Of(reason.Cause));
                _history.Set("@causeId", reason.CauseId);
                await _history.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await _upsert.DisposeAsync().ConfigureAwait(false);
            await _history.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The contacts of a publish job's next chunk, with their fields and the events the model watches,
    /// read on a connection of their own while the job writes the chunk before. It stands for what the
    /// chunk's transaction would read only if nobody else has committed since it was read: the job
    /// checks that (<see cref="SqlDialect.CommitsByOthersAsync"/>) before it hands it over.
    /// </summary>
    public sealed class ReadAhead
    {
        private ReadAhead(DateTimeOffset asOf, List<string> ids, Dictionary<string, ContactRow> contacts, Dictionary<string, List<ActivityEvent>> events)
        {
            AsOf = asOf;
            Ids = ids;
            Contacts = contacts;
            Events = events;
        }

        /// <summary>
        /// The instant the events were read for: a score as of it or later needs none older than those
        /// read, so the chunk may use them only if it scores at this instant or after.
        /// </summary>
        public DateTimeOffset AsOf { get; }

        /// <summary>The chunk's contact ids, in id order.</summary>
        public IReadOnlyList<string> Ids { get; }

        internal Dictionary<string, ContactRow> Contacts { get; }

        internal Dictionary<string, List<ActivityEvent>> Events { get; }

        /// <summary>Reads up to <paramref name="count"/> contacts after <paramref name="after"/> in id order, for a contact model.</summary>
        public static async Task<ReadAhead> ReadAsync(SqlDialect dialect, DbConnection connection, WorkspaceId workspace, PublishedModel model, string after, int count, DateTimeOffset asOf, CancellationToken cancellationToken)
        {
            var load = new Loader(dialect, connection, null, workspace, cancellationToken);
            var ids = await load.NextIdsAsync(RecordKind.Contact, after, count).ConfigureAwait(false);
            var contacts = await load.ContactsAsync(ids).ConfigureAwait(false);
            var events = await load.EventsAsync(contacts.Keys, model.Compiled.Watched, asOf).ConfigureAwait(false);
            return new ReadAhead(asOf, ids, contacts, events);
        }
    }

    /// <summary>
    /// The next chunk of a publish job, in id order (the chunk's transaction reads it with this too,
    /// so a read-ahead can be checked against it).
    /// </summary>
    public static Task<List<string>> NextIdsAsync(WriteSession session, WorkspaceId workspace, RecordKind target, string after, int count, CancellationToken cancellationToken) =>
        new Loader(session.Dialect, session.Connection, session.Transaction, workspace, cancellationToken).NextIdsAsync(target, after, count);

    /// <summary>The reads a re-score needs, each one query for the whole batch, in a write transaction or (a read-ahead) outside one.</summary>
    private sealed class Loader(SqlDialect dialect, DbConnection connection, DbTransaction? transaction, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        private DbCommand Command(string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return command;
        }

        public async Task<List<string>> NextIdsAsync(RecordKind target, string after, int count)
        {
            var ids = new List<string>(count);
            await using var command = Command($"SELECT id FROM {Names.Table(target)} WHERE workspace_id = @workspace AND id > @cursor ORDER BY id LIMIT {count}")
                .With("@workspace", workspace.Value).With("@cursor", after);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }

        public async Task<Dictionary<string, ContactRow>> ContactsAsync(IEnumerable<string> ids)
        {
            var rows = new Dictionary<string, ContactRow>(StringComparer.Ordinal);
            var list = ids as IReadOnlyCollection<string> ?? ids.ToList();
            if (list.Count == 0)
            {
                return rows;
            }

            await using var query = dialect.Prepare(connection, transaction, "SELECT id, company_id, fields FROM contacts WHERE workspace_id = @workspace AND " + dialect.InList("id", "@ids"));
            query.Set("@workspace", workspace.Value);
            query.SetList("@ids", list);
            while (await query.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = query.String(0);
                rows[id] = new ContactRow(id, query.IsNull(1) ? null : query.String(1), query.Utf8Bytes(2));
            }

            return rows;
        }

        public async Task<Dictionary<string, DealRow>> DealsAsync(IEnumerable<string> ids)
        {
            var rows = new Dictionary<string, DealRow>(StringComparer.Ordinal);
            await foreach (var reader in QueryAsync("SELECT id, contact_id, company_id, fields FROM deals WHERE workspace_id = @workspace AND ", "id", ids).ConfigureAwait(false))
            {
                rows[reader.GetString(0)] = new DealRow(reader.GetString(0), reader.NullableString(1), reader.NullableString(2), FieldJson.Read(reader.GetString(3)));
            }

            return rows;
        }

        public async Task<Dictionary<string, Dictionary<string, FieldValue>>> CompaniesAsync(IEnumerable<string> ids)
        {
            var rows = new Dictionary<string, Dictionary<string, FieldValue>>(StringComparer.Ordinal);
            await foreach (var reader in QueryAsync("SELECT id, fields FROM companies WHERE workspace_id = @workspace AND ", "id", ids).ConfigureAwait(false))
            {
                rows[reader.GetString(0)] = FieldJson.Read(reader.GetString(1));
            }

            return rows;
        }

        public async Task<List<(string First, string Second)>> PairsAsync(string select, string column, IEnumerable<string> ids)
        {
            var pairs = new List<(string, string)>();
            await foreach (var reader in QueryAsync(select, column, ids).ConfigureAwait(false))
            {
                pairs.Add((reader.GetString(0), reader.GetString(1)));
            }

            return pairs;
        }

        /// <summary>
        /// Events of the given contacts that a score as of <paramref name="asOf"/> can depend on: only of the
        /// types the models watch, and of each type only as far back as some behaviour looks
        /// (<see cref="WatchedEvents"/>). A contact with a year of page views is read for its last weeks.
        /// </summary>
        public async Task<Dictionary<string, List<ActivityEvent>>> EventsAsync(IEnumerable<string> contactIds, WatchedEvents watched, DateTimeOffset asOf)
        {
            var events = new Dictionary<string, List<ActivityEvent>>(StringComparer.Ordinal);
            var owners = contactIds as IReadOnlyList<string> ?? contactIds.ToList();
            if (watched.IsEmpty || owners.Count == 0)
            {
                return events;
            }

            // This query returns the most rows of a re-score (a publish reads every event), so its loop is
            // kept lean: a row names its contact by position in the list sent rather than by id, and the
            // events of one campaign or page share one lazily parsed copy of the properties they carry,
            // parsed once if a condition reads it, however many contacts' events carry it. Types and
            // properties already seen are found without a new string where the dialect allows it.
            var lists = new List<ActivityEvent>?[owners.Count];
            var shared = new Dictionary<string, LazyProperties>(StringComparer.Ordinal);
            var typeNames = new Dictionary<string, string>(StringComparer.Ordinal);
            var since = EventsSince.Of(watched, asOf);
            await using var query = dialect.Prepare(connection, transaction, $"""
                SELECT owner.key, e.id, e.type, e.occurred_at_us, e.properties
                FROM {dialect.ListTable("@ids")} AS owner CROSS JOIN events AS e
                WHERE e.workspace_id = @workspace AND e.contact_id = owner.value AND {since.Filter(dialect)}
                """);
            query.Set("@workspace", workspace.Value);
            query.SetList("@ids", owners);
            since.Bind(query);
            while (await query.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var activity = new ActivityEvent(
                    query.String(1),
                    query.Shared(2, typeNames, static type => type),
                    Micros.ToInstant(query.Int64(3)),
                    query.IsNull(4) ? null : query.Shared(4, shared, static json => new LazyProperties(json)));
                (lists[(int)query.Int64(0)] ??= []).Add(activity);
            }

            for (var i = 0; i < owners.Count; i++)
            {
                if (lists[i] is { } list)
                {
                    events[owners[i]] = list;
                }
            }

            return events;
        }

        public async Task<Dictionary<string, PreviousScore>> ScoresAsync(string modelKey, RecordKind kind, IEnumerable<string> ids)
        {
            var rows = new Dictionary<string, PreviousScore>(StringComparer.Ordinal);
            var select = $"SELECT record_id, line, scored_at_us, {StoredScoreState.Columns} FROM scores WHERE workspace_id = @workspace AND model_key = @model AND record_kind = @kind AND ";
            await foreach (var reader in QueryAsync(select, "record_id", ids, c => c.With("@model", modelKey).With("@kind", Names.Of(kind))).ConfigureAwait(false))
            {
                rows[reader.GetString(0)] = new PreviousScore(StoredScoreState.ReadColumns(reader, 3), reader.GetString(1), reader.GetInt64(2));
            }

            return rows;
        }

        public async Task<Dictionary<string, List<ScoreAdjustment>>> AdjustmentsAsync(string modelKey, RecordKind kind, IEnumerable<string> ids)
        {
            var rows = new Dictionary<string, List<ScoreAdjustment>>(StringComparer.Ordinal);
            var select = "SELECT record_id, category, points, reason, expires_at_us FROM adjustments WHERE workspace_id = @workspace AND model_key = @model AND record_kind = @kind AND ";
            await foreach (var reader in QueryAsync(select, "record_id", ids, c => c.With("@model", modelKey).With("@kind", Names.Of(kind))).ConfigureAwait(false))
            {
                var adjustment = new ScoreAdjustment(reader.GetString(1), reader.GetDouble(2), reader.GetString(3),
                    reader.NullableInt64(4) is { } expires ? Micros.ToInstant(expires) : null);
                (rows.TryGetValue(reader.GetString(0), out var list) ? list : rows[reader.GetString(0)] = []).Add(adjustment);
            }

            return rows;
        }

        private async IAsyncEnumerable<DbDataReader> QueryAsync(string select, string column, IEnumerable<string> ids, Action<DbCommand>? bind = null)
        {
            var list = ids as IReadOnlyCollection<string> ?? ids.ToList();
            if (list.Count == 0)
            {
                yield break;
            }

            await using var command = Command(select + dialect.InList(column, "@ids")).With("@workspace", workspace.Value);
            dialect.AddList(command, "@ids", list);
            bind?.Invoke(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return reader;
            }
        }
    }
}
