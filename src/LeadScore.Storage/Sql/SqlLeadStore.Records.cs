using LeadScore.Engine.Model;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Sql;

internal sealed partial class SqlLeadStore
{
    /// <summary>The most records one page of <see cref="ListRecordsAsync"/> holds.</summary>
    public const int MaxRecordPage = 1000;

    public async Task<StoreResult<Page<StoredRecord>>> ListRecordsAsync(WorkspaceId workspace, RecordKind kind, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (InvalidLimit(limit, MaxRecordPage) is { } badLimit)
        {
            return badLimit;
        }

        string? after = null;
        if (cursor is not null)
        {
            if (PageCursor.Decode(cursor) is not [var cursorKind, var lastId] || cursorKind != Names.Of(kind))
            {
                return InvalidCursor($"{Names.Table(kind)} list");
            }

            after = lastId;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectRecords(kind)} WHERE workspace_id = @workspace {(after is null ? "" : "AND id > @after")} ORDER BY id LIMIT {limit + 1}";
        command.With("@workspace", workspace.Value).With("@after", after ?? "");
        var records = new List<StoredRecord>(Math.Min(limit + 1, 128));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(ReadRecord(kind, reader));
        }

        return StoreResult<Page<StoredRecord>>.Success(ToPage(records, limit, last => PageCursor.Encode(Names.Of(kind), last.Id)));
    }

    /// <summary>A page of the rows read with one more than the limit: that extra row only says there is a next page.</summary>
    private static Page<T> ToPage<T>(List<T> rows, int limit, Func<T, string> cursorOf)
    {
        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        return new Page<T>(rows, cursorOf(rows[^1]));
    }

    private static StoreError? InvalidLimit(int limit, int max) => limit is < 1 || limit > max
        ? new StoreError(StoreFailure.InvalidLimit, $"A page holds 1 to {max} items; {limit} were asked for.")
        : null;

    private static StoreError InvalidCursor(string list) => new(
        StoreFailure.InvalidCursor, $"The cursor is not one of this {list}: pass the nextCursor of the previous page unchanged (with the same sort), or none for the first page.");

    public async Task<bool> DeleteRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (await DeleteRowAsync(session, workspace, kind, id, cancellationToken).ConfigureAwait(false) is not { } dependents)
        {
            return false;
        }

        await DeleteAboutAsync(session, "scores", workspace, kind, id, cancellationToken).ConfigureAwait(false);
        if (kind == RecordKind.Contact)
        {
            await ForgetPredictionAsync(session, workspace, id, cancellationToken).ConfigureAwait(false);
        }

        await _rescorer.RescoreAsync(session, workspace, dependents, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<ErasedRecord?> EraseRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
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
            var quoted = System.Text.Json.JsonSerializer.Serialize(id, ReviewIdJson);
            await using (var scrub = session.Command(@"UPDATE model_reviews SET report = REPLACE(report, @quoted, @erased) WHERE workspace_id = @workspace AND report LIKE @pattern ESCAPE '\'")
                .With("@workspace", workspace.Value).With("@quoted", quoted).With("@erased", "\"(erased)\"").With("@pattern", "%" + EscapeLike(quoted) + "%"))
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

        await _rescorer.RescoreAsync(session, workspace, dependents, cancellationToken).ConfigureAwait(false);
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
        if (contact.StartsWith(VisitorContactPrefix, StringComparison.Ordinal))
        {
            browsers.Add(contact[VisitorContactPrefix.Length..]);
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

            await using var remember = session.Command("INSERT INTO erasures (workspace_id, subject_hash, erased_at_us) VALUES (@workspace, @subject, @at) ON CONFLICT DO NOTHING")
                .With("@workspace", workspace.Value).With("@subject", VisitorSubject(browser)).With("@at", session.NowUs);
            await remember.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>Deletes the rows of a table that are about one record; returns how many.</summary>
    /// <summary>A contact that converted, or is gone, is no longer a lead to predict: its prediction leaves the lists at once.</summary>
    private static async Task ForgetPredictionAsync(WriteSession session, WorkspaceId workspace, string contactId, CancellationToken cancellationToken)
    {
        await using var forget = session.Command("DELETE FROM predictions WHERE workspace_id = @workspace AND contact_id = @id")
            .With("@workspace", workspace.Value).With("@id", contactId);
        await forget.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> DeleteAboutAsync(WriteSession session, string table, WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken)
    {
        await using var delete = session.Command($"DELETE FROM {table} WHERE workspace_id = @workspace AND record_kind = @kind AND record_id = @id")
            .With("@workspace", workspace.Value).With("@kind", Names.Of(kind)).With("@id", id);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
