using System.Collections.Immutable;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using LeadScore.Engine.Values;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Sql;

internal sealed partial class SqlLeadStore
{
    /// <summary>The prefix of an anonymous visitor's contact id; the rest is the visitor id.</summary>
    public const string VisitorContactPrefix = "v-";

    private const string SiteKeyColumns = "workspace_id, id, name, origins, event_types, created_at_us, revoked_at_us";

    public async Task<SiteKey> CreateSiteKeyAsync(WorkspaceId workspace, string name, IReadOnlyList<string> origins, IReadOnlyList<string> eventTypes, CancellationToken cancellationToken = default)
    {
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        await using (var insert = session.Command($"INSERT INTO site_keys ({SiteKeyColumns}) VALUES (@workspace, @id, @name, @origins, @types, @at, NULL)")
            .With("@workspace", workspace.Value).With("@id", id).With("@name", name).With("@origins", JsonSerializer.Serialize(origins))
            .With("@types", JsonSerializer.Serialize(eventTypes)).With("@at", session.NowUs))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SiteKey(workspace, id, name, [.. origins], [.. eventTypes], session.Now, null);
    }

    public async Task<SiteKey?> FindSiteKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!key.StartsWith("pk_", StringComparison.Ordinal) || key.Length > 100)
        {
            return null;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SiteKeyColumns} FROM site_keys WHERE id = @id AND revoked_at_us IS NULL";
        command.With("@id", key[3..]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSiteKey(reader) : null;
    }

    public async Task<IReadOnlyList<SiteKey>> ListSiteKeysAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SiteKeyColumns} FROM site_keys WHERE workspace_id = @workspace ORDER BY created_at_us, id";
        command.With("@workspace", workspace.Value);
        var keys = new List<SiteKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ReadSiteKey(reader));
        }

        return keys;
    }

    public async Task<bool> RevokeSiteKeyAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await using var revoke = session.Command("UPDATE site_keys SET revoked_at_us = @at WHERE workspace_id = @workspace AND id = @id AND revoked_at_us IS NULL")
            .With("@at", session.NowUs).With("@workspace", workspace.Value).With("@id", id.StartsWith("pk_", StringComparison.Ordinal) ? id[3..] : id);
        var revoked = await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    public async Task<string> GetTrackingSecretAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        // Two servers making the first secret at once: the first insert wins and both read it.
        await using (var insert = session.Command("INSERT INTO tracking_secrets (workspace_id, secret, created_at_us) VALUES (@workspace, @secret, @at) ON CONFLICT DO NOTHING")
            .With("@workspace", workspace.Value).With("@secret", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).With("@at", session.NowUs))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var read = session.Command("SELECT secret FROM tracking_secrets WHERE workspace_id = @workspace").With("@workspace", workspace.Value);
        var secret = (string)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return secret;
    }

    public async Task<string?> FindTrackingSecretAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT secret FROM tracking_secrets WHERE workspace_id = @workspace";
        command.With("@workspace", workspace.Value);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async Task<StoreResult<CollectResult>> CollectAsync(WorkspaceId workspace, VisitorBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (string.IsNullOrWhiteSpace(batch.VisitorId) || batch.VisitorId.Length > 64 || !batch.VisitorId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return StoreResult<CollectResult>.Failure("invalid-visitor", "The visitor id is 1 to 64 letters, digits, '-' or '_'.");
        }

        var email = batch.Email?.Trim().ToLowerInvariant();
        if (email is not null && (email.Length > 320 || !email.Contains('@', StringComparison.Ordinal)))
        {
            return StoreResult<CollectResult>.Failure("invalid-email", $"'{batch.Email}' is not an email address.");
        }

        // Checked as the anonymous contact's; which contact they belong to is known inside the transaction.
        var anonymous = VisitorContactPrefix + batch.VisitorId;
        var prepared = PreparedEvents.Check([.. batch.Events.Select(e => e with { ContactId = anonymous, ContactEmail = null })], time.GetUtcNow());
        await using var session = await dialect.BeginWriteAsync(prepared.CheckedAt, cancellationToken).ConfigureAwait(false);
        await EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);

        string? known;
        await using (var find = session.Command($"SELECT contact_id FROM visitors WHERE workspace_id = @workspace AND id = @id{dialect.ForUpdate}")
            .With("@workspace", workspace.Value).With("@id", batch.VisitorId))
        {
            known = await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        var contact = known ?? anonymous;
        var merged = false;
        var fieldsChanged = false;
        if (email is not null)
        {
            var owner = await ContactByEmailAsync(session, workspace, email, cancellationToken).ConfigureAwait(false);
            if (owner is not null && owner != contact)
            {
                if (contact.StartsWith(VisitorContactPrefix, StringComparison.Ordinal))
                {
                    await MergeVisitorAsync(session, workspace, contact, owner, cancellationToken).ConfigureAwait(false);
                    merged = true;
                }

                // A known contact on a shared browser is not merged: from now on the browser is the other person.
                contact = owner;
            }

            fieldsChanged = await SetIdentityAsync(session, workspace, contact, email, batch.Traits, cancellationToken).ConfigureAwait(false);
        }

        await using (var upsert = session.Command("""
            INSERT INTO visitors (workspace_id, id, contact_id, first_seen_us, last_seen_us) VALUES (@workspace, @id, @contact, @at, @at)
            ON CONFLICT (workspace_id, id) DO UPDATE SET contact_id = excluded.contact_id, last_seen_us = excluded.last_seen_us
            """).With("@workspace", workspace.Value).With("@id", batch.VisitorId).With("@contact", contact).With("@at", session.NowUs))
        {
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var events = prepared with
        {
            Valid = [.. prepared.Valid.Select(v => (v.Index, v.Event with { ContactId = contact }, v.Properties))],
        };
        var ingest = await StoreEventsAsync(session, workspace, events, strict: false, cancellationToken).ConfigureAwait(false);
        if ((merged || fieldsChanged) && ingest.Accepted == 0)
        {
            var touched = new Touched();
            touched.Contacts[contact] = new ChangeReason(ScoreChangeCause.FieldChange, null);
            await _rescorer.RescoreAsync(session, workspace, touched, cancellationToken).ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return StoreResult<CollectResult>.Success(new CollectResult(contact, ingest, merged));
    }

    private static async Task<string?> ContactByEmailAsync(WriteSession session, WorkspaceId workspace, string email, CancellationToken cancellationToken)
    {
        await using var find = session.Command("SELECT id FROM contacts WHERE workspace_id = @workspace AND email = @email ORDER BY id LIMIT 1")
            .With("@workspace", workspace.Value).With("@email", email);
        return await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>
    /// Moves an anonymous visitor's events to the contact it turned out to be, points its browsers
    /// there, and removes the anonymous contact with its scores and history (the events now count for
    /// the contact, which is re-scored when the batch's events are stored).
    /// </summary>
    private static async Task MergeVisitorAsync(WriteSession session, WorkspaceId workspace, string anonymous, string contact, CancellationToken cancellationToken)
    {
        await session.LockContactsAsync(workspace, [anonymous, contact], cancellationToken).ConfigureAwait(false);
        foreach (var sql in new[]
        {
            "UPDATE events SET contact_id = @contact WHERE workspace_id = @workspace AND contact_id = @anonymous",
            "UPDATE visitors SET contact_id = @contact WHERE workspace_id = @workspace AND contact_id = @anonymous",
            "DELETE FROM contacts WHERE workspace_id = @workspace AND id = @anonymous",
        })
        {
            await using var command = session.Command(sql).With("@workspace", workspace.Value).With("@contact", contact).With("@anonymous", anonymous);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var table in new[] { "scores", "score_history", "adjustments" })
        {
            await DeleteAboutAsync(session, table, workspace, RecordKind.Contact, anonymous, cancellationToken).ConfigureAwait(false);
        }

        await ForgetPredictionAsync(session, workspace, anonymous, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives the contact (created when new) the email and the traits; true when its fields changed.</summary>
    private static async Task<bool> SetIdentityAsync(
        WriteSession session, WorkspaceId workspace, string contact, string email, IReadOnlyDictionary<string, FieldValue>? traits, CancellationToken cancellationToken)
    {
        await session.LockContactsAsync(workspace, [contact], cancellationToken).ConfigureAwait(false);
        string? fieldsJson;
        await using (var read = session.Command("SELECT fields FROM contacts WHERE workspace_id = @workspace AND id = @id")
            .With("@workspace", workspace.Value).With("@id", contact))
        {
            fieldsJson = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        var fields = FieldJson.Read(fieldsJson);
        var before = FieldJson.Write(fields);
        fields["email"] = FieldValue.FromText(email);
        fields.Remove("anonymous");
        // Traits are typed like any field ("250" in a number field becomes 250); one that does not fit is left out.
        var rules = new FieldRules(await ReadDefinitionsAsync(session.Connection, session.Transaction, workspace, cancellationToken).ConfigureAwait(false));
        var typed = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in traits ?? ImmutableDictionary<string, FieldValue>.Empty)
        {
            if (rules.Normalise(RecordKind.Contact, new Dictionary<string, FieldValue> { [name] = value }, out var one) is null)
            {
                foreach (var (key, normalised) in one)
                {
                    typed[key] = normalised;
                }
            }
        }

        foreach (var (name, value) in typed)
        {
            // What a visitor types in a form never replaces the email it is identified by.
            if (!name.Equals("email", StringComparison.OrdinalIgnoreCase) && !value.IsMissing)
            {
                fields[name] = value;
            }
        }

        var after = FieldJson.Write(fields);
        await using var write = session.Command(fieldsJson is null
            ? "INSERT INTO contacts (workspace_id, id, email, company_id, fields, created_at_us, updated_at_us) VALUES (@workspace, @id, @email, NULL, @fields, @at, @at)"
            : "UPDATE contacts SET email = @email, fields = @fields, updated_at_us = @at WHERE workspace_id = @workspace AND id = @id")
            .With("@workspace", workspace.Value).With("@id", contact).With("@email", email).With("@fields", after).With("@at", session.NowUs);
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return fieldsJson is null || before != after;
    }

    private static SiteKey ReadSiteKey(DbDataReader reader) => new(
        new WorkspaceId(reader.GetString(0)),
        reader.GetString(1),
        reader.GetString(2),
        [.. JsonSerializer.Deserialize<string[]>(reader.GetString(3)) ?? []],
        [.. JsonSerializer.Deserialize<string[]>(reader.GetString(4)) ?? []],
        Micros.ToInstant(reader.GetInt64(5)),
        reader.NullableInt64(6) is { } revoked ? Micros.ToInstant(revoked) : null);
}
