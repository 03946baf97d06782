using System.Collections.Immutable;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using LeadScore.Engine.Model;
using LeadScore.Engine.Values;
using LeadScore.Storage.Events;
using LeadScore.Storage.Predictive;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Tracking;

/// <summary>
/// Activity capture: site keys, the tracking secret, what the website snippet sends, and visitor claims.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Tracking</c>.
/// </summary>
public sealed class TrackingStore
{
    /// <summary>The prefix of an anonymous visitor's contact id; the rest is the visitor id.</summary>
    public const string VisitorContactPrefix = "v-";

    private const string SiteKeyColumns = "workspace_id, id, name, origins, event_types, created_at_us, revoked_at_us, identify_traits, identify_claims";

    private readonly SqlLeadStore _store;

    internal TrackingStore(SqlLeadStore store) => _store = store;

    /// <summary>Makes a public key for the website snippet of a workspace, usable from the given origins.</summary>
    public async Task<SiteKey> CreateSiteKeyAsync(WorkspaceId workspace, string name, IReadOnlyList<string> origins, IReadOnlyList<string> eventTypes, VisitorTrust trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trust);
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        await using (var insert = session.Command($"INSERT INTO site_keys ({SiteKeyColumns}) VALUES (@workspace, @id, @name, @origins, @types, @at, NULL, @traits, @claims)")
            .With("@workspace", workspace.Value).With("@id", id).With("@name", name).With("@origins", JsonSerializer.Serialize(origins))
            .With("@types", JsonSerializer.Serialize(eventTypes)).With("@at", session.NowUs)
            .With("@traits", JsonSerializer.Serialize(trust.Traits)).With("@claims", VisitorTrust.NameOf(trust.Claims)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SiteKey(workspace, id, name, [.. origins], [.. eventTypes], session.Now, null, trust);
    }

    /// <summary>The site key a page presented (<c>pk_...</c>), in any workspace; null when unknown or revoked.</summary>
    public async Task<SiteKey?> FindSiteKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!key.StartsWith("pk_", StringComparison.Ordinal) || key.Length > 100)
        {
            return null;
        }

        return await _store.Dialect.ReadFirstAsync(
            $"SELECT {SiteKeyColumns} FROM site_keys WHERE id = @id AND revoked_at_us IS NULL",
            c => c.With("@id", key[3..]), ReadSiteKey, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SiteKey>> ListSiteKeysAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            $"SELECT {SiteKeyColumns} FROM site_keys WHERE workspace_id = @workspace ORDER BY created_at_us, id",
            c => c.With("@workspace", workspace.Value), ReadSiteKey, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RevokeSiteKeyAsync(WorkspaceId workspace, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var revoked = await session.ExecuteAsync(
            "UPDATE site_keys SET revoked_at_us = @at WHERE workspace_id = @workspace AND id = @id AND revoked_at_us IS NULL",
            c => c.With("@at", session.NowUs).With("@workspace", workspace.Value)
                .With("@id", id.StartsWith("pk_", StringComparison.Ordinal) ? id[3..] : id),
            cancellationToken).ConfigureAwait(false) == 1;
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    /// <summary>The workspace's key for signing email tracking tokens, made on first use and shared by every server.</summary>
    public async Task<string> GetTrackingSecretAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The workspace's tracking secret when it has one; null when the workspace does not exist or has
    /// never made a tracking link. Reads only: a token from the internet names any workspace it likes,
    /// and checking it must neither fail on an unknown one nor make a secret for it.
    /// </summary>
    public async Task<string?> FindTrackingSecretAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadFirstAsync(
            "SELECT secret FROM tracking_secrets WHERE workspace_id = @workspace",
            c => c.With("@workspace", workspace.Value),
            reader => reader.GetString(0),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores a browser's events in one transaction. An unidentified visitor's events go to an
    /// anonymous contact (<c>v-</c> and the visitor id). An identify whose email no contact has makes
    /// the anonymous contact that contact. One whose email names an existing contact is a claim:
    /// under <see cref="VisitorClaims.Hold"/> it is held (the events stay on the anonymous contact)
    /// until confirmed, under <see cref="VisitorClaims.Merge"/> the visitor is merged at once. A batch
    /// whose <see cref="VisitorBatch.ConfirmedContact"/> the server has proof of is merged into it.
    /// Traits fill only the fields <paramref name="trust"/> allows that have no value yet. A browser
    /// of an erased person stores nothing. Fails with <c>invalid-visitor</c> or <c>invalid-email</c>.
    /// </summary>
    public async Task<StoreResult<CollectResult>> CollectAsync(WorkspaceId workspace, VisitorBatch batch, VisitorTrust trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(trust);
        if (!IsVisitorId(batch.VisitorId))
        {
            return StoreResult<CollectResult>.Failure(StoreFailure.InvalidVisitor, "The visitor id is 1 to 64 letters, digits, '-' or '_'.");
        }

        var email = batch.Email?.Trim().ToLowerInvariant();
        if (email is not null && (email.Length > 320 || !email.Contains('@', StringComparison.Ordinal)))
        {
            return StoreResult<CollectResult>.Failure(StoreFailure.InvalidEmail, $"'{batch.Email}' is not an email address.");
        }

        // Checked as the anonymous contact's; which contact they belong to is known inside the transaction.
        var anonymous = VisitorContactPrefix + batch.VisitorId;
        var prepared = EventStore.PreparedEvents.Check([.. batch.Events.Select(e => e with { ContactId = anonymous, ContactEmail = null })], _store.Time.GetUtcNow());
        await using var session = await _store.Dialect.BeginWriteAsync(prepared.CheckedAt, cancellationToken).ConfigureAwait(false);
        await _store.EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
        if (await IsErasedAsync(session, workspace, VisitorSubject(batch.VisitorId), cancellationToken).ConfigureAwait(false))
        {
            // The browser of a person who asked to be erased: their old cookie never brings them back.
            return StoreResult<CollectResult>.Success(new CollectResult(null, EmptyIngest, false));
        }

        string? known;
        await using (var find = session.Command($"SELECT contact_id FROM visitors WHERE workspace_id = @workspace AND id = @id{_store.Dialect.ForUpdate}")
            .With("@workspace", workspace.Value).With("@id", batch.VisitorId))
        {
            known = await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        var contact = known ?? anonymous;
        var merged = false;
        var fieldsChanged = false;
        string? held = null;
        if (batch.ConfirmedContact is { } confirmed && await ContactExistsAsync(session, workspace, confirmed, cancellationToken).ConfigureAwait(false))
        {
            // Proof the server signed (a link of an email sent to this contact): the browser is theirs.
            var claim = await TakeClaimAsync(session, workspace, batch.VisitorId, cancellationToken).ConfigureAwait(false);
            merged = await LinkVisitorAsync(session, workspace, contact, confirmed, cancellationToken).ConfigureAwait(false);
            contact = confirmed;
            if (claim is { } c && c.ContactId == confirmed)
            {
                fieldsChanged |= await FillTraitsAsync(session, workspace, contact, null, c.Traits, trust.AllowsTrait, cancellationToken).ConfigureAwait(false);
            }
        }

        if (email is not null)
        {
            var owner = await ContactByEmailAsync(session, workspace, email, cancellationToken).ConfigureAwait(false);
            if (owner is null || owner == contact)
            {
                if (owner is null && !contact.Equals(anonymous, StringComparison.Ordinal))
                {
                    // A browser linked to someone else now names an email nobody has: a new person on a shared computer.
                    contact = anonymous;
                }

                fieldsChanged |= await FillTraitsAsync(session, workspace, contact, email, batch.Traits, trust.AllowsTrait, cancellationToken).ConfigureAwait(false);
            }
            else if (trust.Claims == VisitorClaims.Merge)
            {
                merged |= await LinkVisitorAsync(session, workspace, contact, owner, cancellationToken).ConfigureAwait(false);
                contact = owner;
                fieldsChanged |= await FillTraitsAsync(session, workspace, contact, null, batch.Traits, trust.AllowsTrait, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // An email alone is a claim: the browser stays its own anonymous contact until a trusted source confirms.
                contact = anonymous;
                held = owner;
                await HoldClaimAsync(session, workspace, batch.VisitorId, owner, email, batch.Traits, trust, cancellationToken).ConfigureAwait(false);
            }
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
        var ingest = await _store.Events.StoreEventsAsync(session, workspace, events, strict: false, cancellationToken).ConfigureAwait(false);
        if ((merged || fieldsChanged) && ingest.Accepted == 0)
        {
            await RescoreContactAsync(session, workspace, contact, cancellationToken).ConfigureAwait(false);
        }

        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return StoreResult<CollectResult>.Success(new CollectResult(contact, ingest, merged, held));
    }

    /// <summary>Visitors who said by email alone that they are an existing contact, not yet confirmed, oldest first.</summary>
    public async Task<IReadOnlyList<VisitorClaim>> ListVisitorClaimsAsync(WorkspaceId workspace, CancellationToken cancellationToken = default)
    {
        return await _store.Dialect.ReadAllAsync(
            "SELECT visitor_id, contact_id, email, traits, claimed_at_us FROM visitor_claims WHERE workspace_id = @workspace ORDER BY claimed_at_us, visitor_id",
            c => c.With("@workspace", workspace.Value), reader => new VisitorClaim(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                [.. FieldJson.Read(reader.GetString(3)).Keys.Order(StringComparer.Ordinal)], Micros.ToInstant(reader.GetInt64(4))), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A trusted source (the API, the CRM) confirms a visitor's claim: the visitor is merged into the
    /// contact it named, its held traits fill what the contact lacks, and the contact is re-scored.
    /// Fails with <c>unknown-claim</c>, or <c>unknown-contact</c> when the contact is gone.
    /// </summary>
    public async Task<StoreResult<CollectResult>> ConfirmVisitorClaimAsync(WorkspaceId workspace, string visitorId, CancellationToken cancellationToken = default)
    {
        if (!IsVisitorId(visitorId))
        {
            return StoreResult<CollectResult>.Failure(StoreFailure.UnknownClaim, $"There is no claim of a visitor '{visitorId}'.");
        }

        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (await TakeClaimAsync(session, workspace, visitorId, cancellationToken).ConfigureAwait(false) is not { } claim)
        {
            return StoreResult<CollectResult>.Failure(StoreFailure.UnknownClaim, $"There is no claim of a visitor '{visitorId}' waiting for confirmation.");
        }

        if (!await ContactExistsAsync(session, workspace, claim.ContactId, cancellationToken).ConfigureAwait(false))
        {
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            return StoreResult<CollectResult>.Failure(StoreFailure.UnknownContact, $"The contact '{claim.ContactId}' the visitor claimed is gone; the claim was dropped.");
        }

        string? current;
        await using (var find = session.Command($"SELECT contact_id FROM visitors WHERE workspace_id = @workspace AND id = @id{_store.Dialect.ForUpdate}")
            .With("@workspace", workspace.Value).With("@id", visitorId))
        {
            current = await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        var merged = await LinkVisitorAsync(session, workspace, current ?? VisitorContactPrefix + visitorId, claim.ContactId, cancellationToken).ConfigureAwait(false);
        await using (var link = session.Command("UPDATE visitors SET contact_id = @contact WHERE workspace_id = @workspace AND id = @id")
            .With("@workspace", workspace.Value).With("@id", visitorId).With("@contact", claim.ContactId))
        {
            await link.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // A held claim kept only the traits its site key allowed when it was made.
        await FillTraitsAsync(session, workspace, claim.ContactId, null, claim.Traits, _ => true, cancellationToken).ConfigureAwait(false);
        await RescoreContactAsync(session, workspace, claim.ContactId, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return StoreResult<CollectResult>.Success(new CollectResult(claim.ContactId, EmptyIngest, merged));
    }

    /// <summary>Drops a visitor's claim; the visitor stays an anonymous contact of its own. False when there was none.</summary>
    public async Task<bool> RejectVisitorClaimAsync(WorkspaceId workspace, string visitorId, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.Dialect.BeginWriteAsync(_store.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var dropped = await TakeClaimAsync(session, workspace, visitorId, cancellationToken).ConfigureAwait(false) is not null;
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return dropped;
    }

    private static readonly IngestResult EmptyIngest = new(0, 0, [], [], 0);

    private static bool IsVisitorId(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>What an erasure remembers of a browser: a hash, so the visitor id itself is not kept.</summary>
    internal static string VisitorSubject(string visitorId) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("visitor:" + visitorId)));

    private static async Task<bool> IsErasedAsync(WriteSession session, WorkspaceId workspace, string subject, CancellationToken cancellationToken)
    {
        await using var find = session.Command("SELECT 1 FROM erasures WHERE workspace_id = @workspace AND subject_hash = @subject")
            .With("@workspace", workspace.Value).With("@subject", subject);
        return await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static async Task<bool> ContactExistsAsync(WriteSession session, WorkspaceId workspace, string contact, CancellationToken cancellationToken)
    {
        await using var find = session.Command("SELECT 1 FROM contacts WHERE workspace_id = @workspace AND id = @id")
            .With("@workspace", workspace.Value).With("@id", contact);
        return await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private async Task RescoreContactAsync(WriteSession session, WorkspaceId workspace, string contact, CancellationToken cancellationToken)
    {
        var touched = new Touched();
        touched.Contacts[contact] = new ChangeReason(ScoreChangeCause.FieldChange, null);
        await _store.Rescorer.RescoreAsync(session, workspace, touched, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points the browser's anonymous contact, when that is where it is, at <paramref name="contact"/>: true when one was merged.</summary>
    private static async Task<bool> LinkVisitorAsync(WriteSession session, WorkspaceId workspace, string current, string contact, CancellationToken cancellationToken)
    {
        if (current == contact || !current.StartsWith(VisitorContactPrefix, StringComparison.Ordinal))
        {
            // A known contact on a shared browser is not merged: from now on the browser is the other person.
            return false;
        }

        return await MergeVisitorAsync(session, workspace, current, contact, cancellationToken).ConfigureAwait(false);
    }

    private static async Task HoldClaimAsync(
        WriteSession session, WorkspaceId workspace, string visitor, string contact, string email,
        IReadOnlyDictionary<string, FieldValue>? traits, VisitorTrust trust, CancellationToken cancellationToken)
    {
        // Only what the site key would let the visitor fill is kept for the confirmation.
        var allowed = (traits ?? ImmutableDictionary<string, FieldValue>.Empty)
            .Where(t => trust.AllowsTrait(t.Key) && !t.Value.IsMissing);
        await using var upsert = session.Command("""
            INSERT INTO visitor_claims (workspace_id, visitor_id, contact_id, email, traits, claimed_at_us) VALUES (@workspace, @visitor, @contact, @email, @traits, @at)
            ON CONFLICT (workspace_id, visitor_id) DO UPDATE SET contact_id = excluded.contact_id, email = excluded.email, traits = excluded.traits, claimed_at_us = excluded.claimed_at_us
            """).With("@workspace", workspace.Value).With("@visitor", visitor).With("@contact", contact).With("@email", email)
            .With("@traits", FieldJson.Write(allowed)).With("@at", session.NowUs);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record HeldClaim(string ContactId, Dictionary<string, FieldValue> Traits);

    /// <summary>Removes and returns a visitor's held claim, if any.</summary>
    private static async Task<HeldClaim?> TakeClaimAsync(WriteSession session, WorkspaceId workspace, string visitor, CancellationToken cancellationToken)
    {
        await using var take = session.Command("DELETE FROM visitor_claims WHERE workspace_id = @workspace AND visitor_id = @visitor RETURNING contact_id, traits")
            .With("@workspace", workspace.Value).With("@visitor", visitor);
        await using var reader = await take.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new HeldClaim(reader.GetString(0), FieldJson.Read(reader.GetString(1)))
            : null;
    }

    private static async Task<string?> ContactByEmailAsync(WriteSession session, WorkspaceId workspace, string email, CancellationToken cancellationToken)
    {
        await using var find = session.Command("SELECT id FROM contacts WHERE workspace_id = @workspace AND email = @email ORDER BY id LIMIT 1")
            .With("@workspace", workspace.Value).With("@email", email);
        return await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>
    /// Moves an anonymous contact's events and browsers to the contact and removes it. False when
    /// there was nothing to merge (no anonymous contact and no events: a browser seen for the first time).
    /// </summary>
    internal static async Task<bool> MergeVisitorAsync(WriteSession session, WorkspaceId workspace, string anonymous, string contact, CancellationToken cancellationToken)
    {
        await session.LockContactsAsync(workspace, [anonymous, contact], cancellationToken).ConfigureAwait(false);
        var moved = 0;
        foreach (var sql in new[]
        {
            "UPDATE events SET contact_id = @contact WHERE workspace_id = @workspace AND contact_id = @anonymous",
            "UPDATE visitors SET contact_id = @contact WHERE workspace_id = @workspace AND contact_id = @anonymous",
            "DELETE FROM contacts WHERE workspace_id = @workspace AND id = @anonymous",
        })
        {
            moved += await session.ExecuteAsync(
                sql, c => c.With("@workspace", workspace.Value).With("@contact", contact).With("@anonymous", anonymous), cancellationToken).ConfigureAwait(false);
        }

        foreach (var table in new[] { "scores", "score_history", "adjustments" })
        {
            await RecordStore.DeleteAboutAsync(session, table, workspace, RecordKind.Contact, anonymous, cancellationToken).ConfigureAwait(false);
        }

        await PredictiveStore.ForgetPredictionAsync(session, workspace, anonymous, cancellationToken).ConfigureAwait(false);
        return moved > 0;
    }

    /// <summary>
    /// Fills, on the contact (created when new), the email when it has none and the traits
    /// <paramref name="allowed"/> lets through where it has no value yet: a visitor's claim never
    /// replaces what a trusted source (or an earlier visit) set. True when its fields changed.
    /// </summary>
    private static async Task<bool> FillTraitsAsync(
        WriteSession session, WorkspaceId workspace, string contact, string? email, IReadOnlyDictionary<string, FieldValue>? traits, Func<string, bool> allowed,
        CancellationToken cancellationToken)
    {
        await session.LockContactsAsync(workspace, [contact], cancellationToken).ConfigureAwait(false);
        string? fieldsJson = null;
        string? fieldTimes = null;
        await using (var read = session.Command("SELECT fields, field_times FROM contacts WHERE workspace_id = @workspace AND id = @id")
            .With("@workspace", workspace.Value).With("@id", contact))
        {
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                (fieldsJson, fieldTimes) = (reader.GetString(0), reader.NullableString(1));
            }
        }

        var fields = FieldJson.Read(fieldsJson);
        var stored = new Dictionary<string, FieldValue>(fields, StringComparer.OrdinalIgnoreCase);
        var before = FieldJson.Write(fields);
        if (email is not null && (!fields.TryGetValue("email", out var had) || had.IsMissing))
        {
            fields["email"] = FieldValue.FromText(email);
            fields.Remove("anonymous");
        }

        // Traits are typed like any field ("250" in a number field becomes 250); one that does not fit is left out.
        var rules = new FieldRules(await RecordStore.ReadDefinitionsAsync(session.Connection, session.Transaction, workspace, cancellationToken).ConfigureAwait(false));
        foreach (var (name, value) in traits ?? ImmutableDictionary<string, FieldValue>.Empty)
        {
            if (!allowed(name) || value.IsMissing
                || rules.Normalise(RecordKind.Contact, new Dictionary<string, FieldValue> { [name] = value }, out var one) is not null)
            {
                continue;
            }

            foreach (var (key, normalised) in one)
            {
                if (!normalised.IsMissing && !VisitorTrust.IsNeverFromVisitors(key) && (!fields.TryGetValue(key, out var existing) || existing.IsMissing))
                {
                    fields[key] = normalised;
                }
            }
        }

        var after = FieldJson.Write(fields);
        if (fieldsJson is not null && before == after)
        {
            return false;
        }

        var storedEmail = fields.TryGetValue("email", out var kept) && !kept.IsMissing ? kept.Text : null;
        // A new contact's values have no change time of their own (its creation is theirs); an existing one's traits filled now do.
        await using var write = session.Command(fieldsJson is null
            ? "INSERT INTO contacts (workspace_id, id, email, company_id, fields, field_times, created_at_us, updated_at_us) VALUES (@workspace, @id, @email, NULL, @fields, @times, @at, @at)"
            : "UPDATE contacts SET email = @email, fields = @fields, field_times = @times, updated_at_us = @at WHERE workspace_id = @workspace AND id = @id")
            .With("@workspace", workspace.Value).With("@id", contact).With("@email", storedEmail).With("@fields", after).With("@at", session.NowUs)
            .With("@times", fieldsJson is null ? null : FieldTimes.Changed(fieldTimes, stored, fields, session.NowUs));
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static SiteKey ReadSiteKey(DbDataReader reader) => new(
        new WorkspaceId(reader.GetString(0)),
        reader.GetString(1),
        reader.GetString(2),
        [.. JsonSerializer.Deserialize<string[]>(reader.GetString(3)) ?? []],
        [.. JsonSerializer.Deserialize<string[]>(reader.GetString(4)) ?? []],
        Micros.ToInstant(reader.GetInt64(5)),
        reader.NullableInt64(6) is { } revoked ? Micros.ToInstant(revoked) : null,
        // Written by this class only; a hand-edited row that does not read falls back to the safe default.
        VisitorTrust.Create(JsonSerializer.Deserialize<string[]>(reader.GetString(7)), VisitorTrust.ClaimsNamed(reader.GetString(8)) ?? VisitorClaims.Hold).Trust
            ?? VisitorTrust.Default);
}
