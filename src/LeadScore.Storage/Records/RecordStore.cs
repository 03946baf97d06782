using System.Collections.Immutable;
using System.Data.Common;
using LeadScore.Engine.Model;
using LeadScore.Engine.Values;
using LeadScore.Storage.Predictive;
using LeadScore.Storage.Reviews;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;
using LeadScore.Storage.Tracking;

namespace LeadScore.Storage.Records;

/// <summary>
/// Contacts, companies and deals with their typed fields: upsert, read, list, delete and erase.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Records</c>.
/// </summary>
public sealed class RecordStore
{
    /// <summary>The most records one page of <see cref="ListRecordsAsync"/> holds.</summary>
    public const int MaxRecordPage = 1000;

    private readonly SqlLeadStore _store;

    internal RecordStore(SqlLeadStore store) => _store = store;

    /// <summary>
    /// Records of a kind ordered by id, <paramref name="limit"/> (1 to 1,000) at a time after the
    /// opaque cursor of the previous page (null for the first). Fails with <c>invalid-limit</c>, or
    /// <c>invalid-cursor</c> for a cursor this list did not make.
    /// </summary>
    public async Task<StoreResult<Page<StoredRecord>>> ListRecordsAsync(WorkspaceId workspace, RecordKind kind, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (Pages.InvalidLimit(limit, MaxRecordPage) is { } badLimit)
        {
            return badLimit;
        }

        string? after = null;
        if (cursor is not null)
        {
            if (PageCursor.Decode(cursor) is not [var cursorKind, var lastId] || cursorKind != Names.Of(kind))
            {
                return Pages.InvalidCursor($"{Names.Table(kind)} list");
            }

            after = lastId;
        }

        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectRecords(kind)} WHERE workspace_id = @workspace {(after is null ? "" : "AND id > @after")} ORDER BY id LIMIT {limit + 1}";
        command.With("@workspace", workspace.Value).With("@after", after ?? "");
        var records = new List<StoredRecord>(Math.Min(limit + 1, 128));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(ReadRecord(kind, reader));
        }

        return StoreResult<Page<StoredRecord>>.Success(Pages.ToPage(records, limit, last => PageCursor.Encode(Names.Of(kind), last.Id)));
    }

    /// <summary>
    /// Removes a record and its current scores, so it leaves every list; its events, history and
    /// outcomes stay for reports. False when there was no such record.
    /// </summary>
    public async Task<bool> DeleteRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (await DeleteRowAsync(session, workspace, kind, id, cancellationToken).ConfigureAwait(false) is not { } dependents)
        {
            return false;
        }

        await DeleteAboutAsync(session, "scores", workspace, kind, id, cancellationToken).ConfigureAwait(false);
        if (kind == RecordKind.Contact)
        {
            await PredictiveStore.ForgetPredictionAsync(session, workspace, id, cancellationToken).ConfigureAwait(false);
        }

        await _store.Rescorer.RescoreAsync(session, workspace, dependents, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Removes a record and everything kept about it, for good, in one transaction: its scores, score
    /// history, adjustments and outcomes, and a contact's events (deals keep no link to an erased
    /// contact). The right to be forgotten. Null when there was nothing to erase.
    /// </summary>
    public async Task<ErasedRecord?> EraseRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        // A record deleted earlier left its events and history behind: erasing it still removes them.
        var dependents = await DeleteRowAsync(session, workspace, kind, id, cancellationToken).ConfigureAwait(false);
        var existed = dependents is not null;
        dependents ??= new Touched();
        var scores = await DeleteAboutAsync(session, "scores", workspace, kind, id, cancellationToken).ConfigureAwait(false);
        var history = await DeleteAboutAsync(session, "score_history", workspace, kind, id, cancellationToken).ConfigureAwait(false);
        var adjustments = await DeleteAboutAsync(session, "adjustments", workspace, kind, id, cancellationToken).ConfigureAwait(false);
        var outcomes = await DeleteAboutAsync(session, "outcomes", workspace, kind, id, cancellationToken).ConfigureAwait(false);
        var events = 0;
        if (kind == RecordKind.Contact)
        {
            // Webhook payloads and run logs name the person and copy their fields: they go too.
            foreach (var sql in new[]
            {
                "DELETE FROM delivery_attempts WHERE workspace_id = @workspace AND delivery_id IN (SELECT id FROM deliveries WHERE workspace_id = @workspace AND contact_id = @id)",
                "DELETE FROM deliveries WHERE workspace_id = @workspace AND contact_id = @id",
                "DELETE FROM automation_runs WHERE workspace_id = @workspace AND contact_id = @id",
                "DELETE FROM predictions WHERE workspace_id = @workspace AND contact_id = @id",
            })
            {
                await using var forget = session.Command(sql).With("@workspace", workspace.Value).With("@id", id);
                await forget.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await ForgetVisitorsAsync(session, workspace, id, cancellationToken).ConfigureAwait(false);

            // Stored reviews list the ids of misjudged leads: the person's id is replaced, the rest of the review stays.
            var quoted = System.Text.Json.JsonSerializer.Serialize(id, ReviewStore.ReviewIdJson);
            await using (var scrub = session.Command(@"UPDATE model_reviews SET report = REPLACE(report, @quoted, @erased) WHERE workspace_id = @workspace AND report LIKE @pattern ESCAPE '\'")
                .With("@workspace", workspace.Value).With("@quoted", quoted).With("@erased", "\"(erased)\"").With("@pattern", "%" + Like.Escape(quoted) + "%"))
            {
                await scrub.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var erase = session.Command("DELETE FROM events WHERE workspace_id = @workspace AND contact_id = @id")
                .With("@workspace", workspace.Value).With("@id", id))
            {
                events = await erase.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // Its deals stay (they are the company's business) but no longer name the person.
            await using var unlink = session.Command("UPDATE deals SET contact_id = NULL, updated_at_us = @at WHERE workspace_id = @workspace AND contact_id = @id RETURNING id")
                .With("@workspace", workspace.Value).With("@id", id).With("@at", session.NowUs);
            await using var reader = await unlink.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                dependents.Deals[reader.GetString(0)] = new ChangeReason(ScoreChangeCause.FieldChange, null);
            }
        }

        if (!existed && scores + history + adjustments + outcomes + events == 0)
        {
            return null;
        }

        await _store.Rescorer.RescoreAsync(session, workspace, dependents, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ErasedRecord(kind, id, events, scores, history, outcomes, adjustments);
    }

    /// <summary>
    /// Removes the browsers linked to an erased contact and the claims about it, and remembers each
    /// browser by a hash, so its old visitor cookie never re-creates the person (an anonymous
    /// contact's own browser included: its id is the visitor id).
    /// </summary>
    private static async Task ForgetVisitorsAsync(WriteSession session, WorkspaceId workspace, string contact, CancellationToken cancellationToken)
    {
        var browsers = new HashSet<string>(StringComparer.Ordinal);
        if (contact.StartsWith(TrackingStore.VisitorContactPrefix, StringComparison.Ordinal))
        {
            browsers.Add(contact[TrackingStore.VisitorContactPrefix.Length..]);
        }

        // Claims naming the person go; the browsers that made them were never proven to be theirs, so they stay.
        await using (var claims = session.Command("DELETE FROM visitor_claims WHERE workspace_id = @workspace AND contact_id = @id").With("@workspace", workspace.Value).With("@id", contact))
        {
            await claims.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var linked = session.Command("DELETE FROM visitors WHERE workspace_id = @workspace AND contact_id = @id RETURNING id").With("@workspace", workspace.Value).With("@id", contact))
        {
            await using var reader = await linked.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                browsers.Add(reader.GetString(0));
            }
        }

        foreach (var browser in browsers)
        {
            foreach (var sql in new[]
            {
                "DELETE FROM visitors WHERE workspace_id = @workspace AND id = @visitor",
                "DELETE FROM visitor_claims WHERE workspace_id = @workspace AND visitor_id = @visitor",
            })
            {
                await using var command = session.Command(sql).With("@workspace", workspace.Value).With("@visitor", browser);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await session.ExecuteAsync(
                "INSERT INTO erasures (workspace_id, subject_hash, erased_at_us) VALUES (@workspace, @subject, @at) ON CONFLICT DO NOTHING",
                c => c.With("@workspace", workspace.Value).With("@subject", TrackingStore.VisitorSubject(browser)).With("@at", session.NowUs),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes a record's row and returns the records whose scores saw it (a contact's deals and
    /// company, a company's deals), to re-score; null when there was no such row.
    /// </summary>
    private static async Task<Touched?> DeleteRowAsync(WriteSession session, WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken)
    {
        // Deleting locks the row, so a concurrent ingest for a contact waits and then finds it gone.
        await using var delete = session.Command($"DELETE FROM {Names.Table(kind)} WHERE workspace_id = @workspace AND id = @id RETURNING {(kind == RecordKind.Contact ? "company_id" : "NULL")}")
            .With("@workspace", workspace.Value).With("@id", id);
        await using var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var reason = new ChangeReason(ScoreChangeCause.FieldChange, null);
        var dependents = new Touched();
        // The record itself has nothing left to score; naming it makes the re-scorer find its deals.
        dependents.Of(kind)[id] = reason;
        if (reader.NullableString(0) is { } companyId)
        {
            dependents.Companies[companyId] = reason;
        }

        return dependents;
    }

    internal static async Task<int> DeleteAboutAsync(WriteSession session, string table, WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken)
    {
        await using var delete = session.Command($"DELETE FROM {table} WHERE workspace_id = @workspace AND record_kind = @kind AND record_id = @id")
            .With("@workspace", workspace.Value).With("@kind", Names.Of(kind)).With("@id", id);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<WriteResult> DefineFieldsAsync(WorkspaceId workspace, IReadOnlyList<FieldDefinition> definitions, CancellationToken cancellationToken = default)
    {
        var rejected = ImmutableArray.CreateBuilder<Rejection>();
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await using var upsert = session.Command("""
            INSERT INTO field_definitions (workspace_id, record_kind, name, field_type, label) VALUES (@workspace, @kind, @name, @type, @label)
            ON CONFLICT (workspace_id, record_kind, name) DO UPDATE SET field_type = excluded.field_type, label = excluded.label
            """).With("@workspace", workspace.Value).With("@kind", "").With("@name", "").With("@type", "").With("@label", null);
        var written = 0;
        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i];
            if (string.IsNullOrWhiteSpace(definition.Name) || definition.Name.Length > 100 || definition.Name.Contains('.', StringComparison.Ordinal))
            {
                rejected.Add(new Rejection(i, definition.Name, "a field name must be 1 to 100 characters without '.' (the dot prefixes contact. and company. fields)"));
                continue;
            }

            if (definition.Type is FieldKind.Missing || !Enum.IsDefined(definition.Type))
            {
                rejected.Add(new Rejection(i, definition.Name, "unknown field type; use text, number, boolean or date"));
                continue;
            }

            upsert.Set("@kind", Names.Of(definition.Record));
            upsert.Set("@name", definition.Name.ToLowerInvariant());
            upsert.Set("@type", definition.Type.ToString().ToLowerInvariant());
            upsert.Set("@label", definition.Label);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            written++;
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteResult(written, rejected.ToImmutable(), 0);
    }

    public async Task<IReadOnlyList<FieldDefinition>> GetFieldDefinitionsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadDefinitionsAsync(connection, null, workspace, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<List<FieldDefinition>> ReadDefinitionsAsync(DbConnection connection, DbTransaction? transaction, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT record_kind, name, field_type, label FROM field_definitions WHERE workspace_id = @workspace ORDER BY record_kind, name";
        command.With("@workspace", workspace.Value);
        var definitions = new List<FieldDefinition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            definitions.Add(new FieldDefinition(
                Names.RecordKind(reader.GetString(0)), reader.GetString(1), FieldDefinition.ParseType(reader.GetString(2))!.Value, reader.NullableString(3)));
        }

        return definitions;
    }

    /// <summary>Creates or updates contacts; a contact whose fields changed is re-scored (cause: field change).</summary>
    public Task<WriteResult> UpsertContactsAsync(WorkspaceId workspace, IReadOnlyList<ContactInput> contacts, CancellationToken cancellationToken = default) =>
        UpsertAsync(workspace, RecordKind.Contact, [.. contacts.Select(c => new Upsert(c.Id, c.Fields, null, c.CompanyId))], cancellationToken);

    public Task<WriteResult> UpsertCompaniesAsync(WorkspaceId workspace, IReadOnlyList<CompanyInput> companies, CancellationToken cancellationToken = default) =>
        UpsertAsync(workspace, RecordKind.Company, [.. companies.Select(c => new Upsert(c.Id, c.Fields, null, null))], cancellationToken);

    public Task<WriteResult> UpsertDealsAsync(WorkspaceId workspace, IReadOnlyList<DealInput> deals, CancellationToken cancellationToken = default) =>
        UpsertAsync(workspace, RecordKind.Deal, [.. deals.Select(d => new Upsert(d.Id, d.Fields, d.ContactId, d.CompanyId))], cancellationToken);

    public async Task<StoredRecord?> GetRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadFirstAsync(
            $"{SelectRecords(kind)} WHERE workspace_id = @workspace AND id = @id",
            c => c.With("@workspace", workspace.Value).With("@id", id), reader => ReadRecord(kind, reader), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SELECT (without WHERE) whose rows <see cref="ReadRecord"/> reads.</summary>
    private static string SelectRecords(RecordKind kind) => kind switch
    {
        RecordKind.Contact => "SELECT id, fields, NULL, company_id, updated_at_us FROM contacts",
        RecordKind.Company => "SELECT id, fields, NULL, NULL, updated_at_us FROM companies",
        _ => "SELECT id, fields, contact_id, company_id, updated_at_us FROM deals",
    };

    private static StoredRecord ReadRecord(RecordKind kind, DbDataReader reader) =>
        new(kind, reader.GetString(0), FieldJson.Read(reader.GetString(1)), reader.NullableString(2), reader.NullableString(3),
            Micros.ToInstant(reader.GetInt64(4)));

    /// <summary>A record to write: its id, its fields (merged into what is stored), and the contact and company it belongs to (null: unchanged).</summary>
    internal sealed record Upsert(string Id, IReadOnlyDictionary<string, FieldValue> Fields, string? ContactId, string? CompanyId);

    private sealed record ExistingRecord(string Fields, string? ContactId, string? CompanyId, string? FieldTimes);

    private async Task<WriteResult> UpsertAsync(WorkspaceId workspace, RecordKind kind, IReadOnlyList<Upsert> items, CancellationToken cancellationToken)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var rules = new FieldRules(await ReadDefinitionsAsync(session.Connection, session.Transaction, workspace, cancellationToken).ConfigureAwait(false));
        var rejected = ImmutableArray.CreateBuilder<Rejection>();
        var valid = new List<(int Index, Upsert Item, Dictionary<string, FieldValue> Fields)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var fields = new Dictionary<string, FieldValue>();
            var reason = FieldRules.CheckId(item.Id, Names.Of(kind))
                ?? FieldRules.CheckText(item.ContactId, "the contact id") ?? FieldRules.CheckText(item.CompanyId, "the company id")
                ?? (seen.Contains(item.Id) ? $"'{item.Id}' appears twice in this batch" : null)
                ?? rules.Normalise(kind, item.Fields, out fields);
            if (reason is not null)
            {
                rejected.Add(new Rejection(i, item.Id, reason));
                continue;
            }

            seen.Add(item.Id);
            valid.Add((i, item, fields));
        }

        var touched = new Touched();
        var (written, unchanged) = await WriteAsync(session, workspace, kind, [.. valid.Select(v => (v.Item, v.Fields))], touched, cancellationToken).ConfigureAwait(false);
        var rescored = await _store.Rescorer.RescoreAsync(session, workspace, touched, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteResult(written, rejected.ToImmutable(), rescored) { Unchanged = unchanged };
    }

    /// <summary>
    /// Writes checked records (fields already normalised) in the session's transaction, merging their
    /// fields into what is stored; records that changed are added to <paramref name="touched"/> for the
    /// caller's re-score. Returns how many were written and how many were already as given.
    /// </summary>
    internal static async Task<(int Written, int Unchanged)> WriteAsync(
        WriteSession session, WorkspaceId workspace, RecordKind kind, IReadOnlyList<(Upsert Item, Dictionary<string, FieldValue> Fields)> valid, Touched touched,
        CancellationToken cancellationToken)
    {
        var existing = await ReadExistingAsync(session, workspace, kind, [.. valid.Select(v => v.Item.Id)], cancellationToken).ConfigureAwait(false);
        if (session.Dialect.ForUpdate.Length > 0)
        {
            await ClaimNewRowsAsync(session, workspace, kind, existing, [.. valid.Select(v => v.Item.Id).Where(id => !existing.ContainsKey(id))], cancellationToken).ConfigureAwait(false);
        }

        await using var upsert = session.Command(kind switch
        {
            RecordKind.Contact => """
                INSERT INTO contacts (workspace_id, id, email, company_id, fields, field_times, created_at_us, updated_at_us)
                VALUES (@workspace, @id, @email, @company, @fields, @times, @at, @at)
                ON CONFLICT (workspace_id, id) DO UPDATE SET email = excluded.email, company_id = excluded.company_id,
                    fields = excluded.fields, field_times = excluded.field_times, updated_at_us = excluded.updated_at_us
                """,
            RecordKind.Company => """
                INSERT INTO companies (workspace_id, id, fields, field_times, created_at_us, updated_at_us)
                VALUES (@workspace, @id, @fields, @times, @at, @at)
                ON CONFLICT (workspace_id, id) DO UPDATE SET fields = excluded.fields, field_times = excluded.field_times, updated_at_us = excluded.updated_at_us
                """,
            _ => """
                INSERT INTO deals (workspace_id, id, contact_id, company_id, amount, stage, expected_close_date, fields, field_times, created_at_us, updated_at_us)
                VALUES (@workspace, @id, @contact, @company, @amount, @stage, @close, @fields, @times, @at, @at)
                ON CONFLICT (workspace_id, id) DO UPDATE SET contact_id = excluded.contact_id, company_id = excluded.company_id,
                    amount = excluded.amount, stage = excluded.stage, expected_close_date = excluded.expected_close_date,
                    fields = excluded.fields, field_times = excluded.field_times, updated_at_us = excluded.updated_at_us
                """,
        });
        upsert.With("@workspace", workspace.Value).With("@at", session.NowUs).With("@id", "").With("@fields", "").With("@times", null);
        if (kind == RecordKind.Contact)
        {
            upsert.With("@email", null).With("@company", null);
        }
        else if (kind == RecordKind.Deal)
        {
            upsert.With("@contact", null).With("@company", null).With("@amount", null).With("@stage", null).With("@close", null);
        }

        var written = 0;
        var unchanged = 0;
        foreach (var (item, fields) in valid)
        {
            var before = existing.GetValueOrDefault(item.Id);
            var stored = before is null ? null : FieldJson.Read(before.Fields);
            var times = before is null ? null : FieldTimes.Changed(before.FieldTimes, stored!, fields, session.NowUs);
            var merged = stored is null ? fields : MergeFields(stored, fields);
            var json = FieldJson.Write(merged);
            var contactId = item.ContactId ?? before?.ContactId;
            var companyId = item.CompanyId ?? before?.CompanyId;
            if (before is not null && before.Fields == json && before.ContactId == contactId && before.CompanyId == companyId)
            {
                unchanged++;
                continue;
            }

            upsert.Set("@id", item.Id);
            upsert.Set("@fields", json);
            upsert.Set("@times", times);
            if (kind == RecordKind.Contact)
            {
                upsert.Set("@email", merged.TryGetValue("email", out var email) ? email.Text.ToLowerInvariant() : null);
                upsert.Set("@company", companyId);
            }
            else if (kind == RecordKind.Deal)
            {
                upsert.Set("@contact", contactId);
                upsert.Set("@company", companyId);
                upsert.Set("@amount", merged.TryGetValue("amount", out var amount) ? amount.Number : null);
                upsert.Set("@stage", merged.TryGetValue("stage", out var stage) ? stage.Text : null);
                upsert.Set("@close", merged.TryGetValue("expectedCloseDate", out var close) ? close.Text : null);
            }

            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            touched.Of(kind)[item.Id] = new ChangeReason(ScoreChangeCause.FieldChange, null);
            if (kind == RecordKind.Contact && before?.CompanyId is { } previousCompany && previousCompany != companyId)
            {
                // The company the contact left no longer counts its events.
                touched.Companies[previousCompany] = new ChangeReason(ScoreChangeCause.FieldChange, null);
            }
            written++;
        }

        return (written, unchanged);
    }

    /// <summary>A contact's stored fields, read in the session's transaction (empty when there is no such contact).</summary>
    internal static async Task<Dictionary<string, FieldValue>> ReadFieldsAsync(WriteSession session, WorkspaceId workspace, string contact, CancellationToken cancellationToken)
    {
        await using var read = session.Command("SELECT fields FROM contacts WHERE workspace_id = @workspace AND id = @id")
            .With("@workspace", workspace.Value).With("@id", contact);
        return FieldJson.Read(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string);
    }

    private static Dictionary<string, FieldValue> MergeFields(Dictionary<string, FieldValue> stored, Dictionary<string, FieldValue> incoming)
    {
        foreach (var (name, value) in incoming)
        {
            stored[name] = value;
        }

        return stored;
    }

    /// <summary>
    /// PostgreSQL only: makes a placeholder row for each record not found, so the row is this
    /// transaction's (locked) before its fields are merged. Where another transaction made the row
    /// meanwhile, the insert waits for it and does nothing, and what it wrote is read (locked) to merge
    /// into: two writers of a new record each keep their fields instead of the last overwriting the first.
    /// </summary>
    private static async Task ClaimNewRowsAsync(
        WriteSession session, WorkspaceId workspace, RecordKind kind, Dictionary<string, ExistingRecord> existing, List<string> missing, CancellationToken cancellationToken)
    {
        if (missing.Count == 0)
        {
            return;
        }

        var made = new HashSet<string>(StringComparer.Ordinal);
        await using (var claim = session.Command($"""
            INSERT INTO {Names.Table(kind)} (workspace_id, id, fields, created_at_us, updated_at_us)
            SELECT @workspace, x, '{"{"}{"}"}', @at, @at FROM unnest(@ids) AS x ORDER BY x
            ON CONFLICT DO NOTHING RETURNING id
            """).With("@workspace", workspace.Value).With("@at", session.NowUs))
        {
            session.Dialect.AddList(claim, "@ids", missing);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                made.Add(reader.GetString(0));
            }
        }

        var raced = missing.Where(id => !made.Contains(id)).ToList();
        foreach (var (id, row) in await ReadExistingAsync(session, workspace, kind, raced, cancellationToken).ConfigureAwait(false))
        {
            existing[id] = row;
        }
    }

    private static async Task<Dictionary<string, ExistingRecord>> ReadExistingAsync(
        WriteSession session, WorkspaceId workspace, RecordKind kind, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, ExistingRecord>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return rows;
        }

        var columns = kind switch
        {
            RecordKind.Contact => "id, fields, NULL, company_id, field_times",
            RecordKind.Company => "id, fields, NULL, NULL, field_times",
            _ => "id, fields, contact_id, company_id, field_times",
        };
        // Locked, in id order (PostgreSQL): the fields are merged with what is read here, and a concurrent
        // write of the same record must wait for this one rather than be overwritten by it.
        await using var command = session.Command(
            $"SELECT {columns} FROM {Names.Table(kind)} WHERE workspace_id = @workspace AND {session.Dialect.InList("id", "@ids")} ORDER BY id{session.Dialect.ForUpdate}")
            .With("@workspace", workspace.Value);
        session.Dialect.AddList(command, "@ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows[reader.GetString(0)] = new ExistingRecord(reader.GetString(1), reader.NullableString(2), reader.NullableString(3), reader.NullableString(4));
        }

        return rows;
    }

    /// <summary>How many contacts the workspace has.</summary>
    public async Task<long> CountContactsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadNumberAsync(
            "SELECT COUNT(*) FROM contacts WHERE workspace_id = @workspace",
            c => c.With("@workspace", workspace.Value),
            cancellationToken).ConfigureAwait(false);
    }
}
