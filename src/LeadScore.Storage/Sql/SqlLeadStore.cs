using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Values;
using LeadScore.Storage.Automations;
using LeadScore.Storage.Deliveries;
using LeadScore.Storage.Events;
using LeadScore.Storage.Keys;
using LeadScore.Storage.Leads;
using LeadScore.Storage.Models;
using LeadScore.Storage.Outcomes;
using LeadScore.Storage.Predictive;
using LeadScore.Storage.Records;
using LeadScore.Storage.Reviews;
using LeadScore.Storage.Schema;
using LeadScore.Storage.Scores;
using LeadScore.Storage.Tracking;
using LeadScore.Storage.Workspaces;

namespace LeadScore.Storage.Sql;

/// <summary>
/// The store over SQL: the same statements on SQLite and PostgreSQL, with the differences kept in
/// <see cref="SqlDialect"/>. Every write is one transaction that also re-scores what it touched.
/// </summary>
internal sealed partial class SqlLeadStore(SqlDialect dialect, TimeProvider time) : ILeadStore
{
    /// <summary>Events dated further ahead than this are refused: a clock or unit mistake, not a plan.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    public const int MaxProperties = 64;
    public const int MaxPropertyBytes = 16 * 1024;
    public const int MaxTypeLength = 100;

    private readonly Rescorer _rescorer = new(new ModelCatalog(), new AutomationCatalog());

    // Workspaces are never deleted, so one seen to exist needs no further query.
    private readonly ConcurrentDictionary<string, bool> _knownWorkspaces = new(StringComparer.Ordinal);

    // Names this process on the jobs it runs, so that another process on the same database leaves them alone.
    private readonly string _instance = Guid.NewGuid().ToString("N");

    public string Description => dialect.Description;

    // The facets: each feature's face of this one store (its SQL lives here today, and moves into them feature by feature).
    public WorkspaceStore Workspaces => field ??= new(this);

    public RecordStore Records => field ??= new(this);

    public EventStore Events => field ??= new(this);

    public ModelStore Models => field ??= new(this);

    public ScoreStore Scores => field ??= new(this);

    public LeadRanking Leads => field ??= new(this);

    public OutcomeStore Outcomes => field ??= new(this);

    public PredictiveStore Predictive => field ??= new(this);

    public ReviewStore Reviews => field ??= new(this);

    public KeyStore Keys => field ??= new(this);

    public AutomationStore Automations => field ??= new(this);

    public DeliveryStore Deliveries => field ??= new(this);

    public TrackingStore Tracking => field ??= new(this);

    private ModelCatalog Catalog => _rescorer.Catalog;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Migrator.MigrateAsync(dialect, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await EnsureWorkspaceAsync(WorkspaceId.Default, "Default workspace", cancellationToken).ConfigureAwait(false);
    }

    public async Task EnsureWorkspaceAsync(WorkspaceId workspace, string name, CancellationToken cancellationToken = default)
    {
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await using var insert = session.Command("INSERT INTO workspaces (workspace_id, name, created_at_us) VALUES (@workspace, @name, @at) ON CONFLICT DO NOTHING")
            .With("@workspace", workspace.Value).With("@name", name).With("@at", session.NowUs);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<WriteResult> DefineFieldsAsync(WorkspaceId workspace, IReadOnlyList<FieldDefinition> definitions, CancellationToken cancellationToken = default)
    {
        var rejected = ImmutableArray.CreateBuilder<Rejection>();
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
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
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadDefinitionsAsync(connection, null, workspace, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<FieldDefinition>> ReadDefinitionsAsync(DbConnection connection, DbTransaction? transaction, WorkspaceId workspace, CancellationToken cancellationToken)
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

    private async Task EnsureWorkspaceExistsAsync(WriteSession session, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        if (_knownWorkspaces.ContainsKey(workspace.Value))
        {
            return;
        }

        await using var check = session.Command("SELECT COUNT(*) FROM workspaces WHERE workspace_id = @workspace").With("@workspace", workspace.Value);
        if (System.Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
        {
            throw new InvalidOperationException($"Workspace '{workspace}' does not exist; create it first.");
        }

        _knownWorkspaces[workspace.Value] = true;
    }

    public Task<WriteResult> UpsertContactsAsync(WorkspaceId workspace, IReadOnlyList<ContactInput> contacts, CancellationToken cancellationToken = default) =>
        UpsertAsync(workspace, RecordKind.Contact, [.. contacts.Select(c => new Upsert(c.Id, c.Fields, null, c.CompanyId))], cancellationToken);

    public Task<WriteResult> UpsertCompaniesAsync(WorkspaceId workspace, IReadOnlyList<CompanyInput> companies, CancellationToken cancellationToken = default) =>
        UpsertAsync(workspace, RecordKind.Company, [.. companies.Select(c => new Upsert(c.Id, c.Fields, null, null))], cancellationToken);

    public Task<WriteResult> UpsertDealsAsync(WorkspaceId workspace, IReadOnlyList<DealInput> deals, CancellationToken cancellationToken = default) =>
        UpsertAsync(workspace, RecordKind.Deal, [.. deals.Select(d => new Upsert(d.Id, d.Fields, d.ContactId, d.CompanyId))], cancellationToken);

    public async Task<StoredRecord?> GetRecordAsync(WorkspaceId workspace, RecordKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectRecords(kind)} WHERE workspace_id = @workspace AND id = @id";
        command.With("@workspace", workspace.Value).With("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRecord(kind, reader) : null;
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

    private sealed record Upsert(string Id, IReadOnlyDictionary<string, FieldValue> Fields, string? ContactId, string? CompanyId);

    private sealed record ExistingRecord(string Fields, string? ContactId, string? CompanyId);

    private async Task<WriteResult> UpsertAsync(WorkspaceId workspace, RecordKind kind, IReadOnlyList<Upsert> items, CancellationToken cancellationToken)
    {
        await using var session = await dialect.BeginWriteAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await EnsureWorkspaceExistsAsync(session, workspace, cancellationToken).ConfigureAwait(false);
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

        var existing = await ReadExistingAsync(session, workspace, kind, [.. valid.Select(v => v.Item.Id)], cancellationToken).ConfigureAwait(false);
        await using var upsert = session.Command(kind switch
        {
            RecordKind.Contact => """
                INSERT INTO contacts (workspace_id, id, email, company_id, fields, created_at_us, updated_at_us)
                VALUES (@workspace, @id, @email, @company, @fields, @at, @at)
                ON CONFLICT (workspace_id, id) DO UPDATE SET email = excluded.email, company_id = excluded.company_id,
                    fields = excluded.fields, updated_at_us = excluded.updated_at_us
                """,
            RecordKind.Company => """
                INSERT INTO companies (workspace_id, id, fields, created_at_us, updated_at_us)
                VALUES (@workspace, @id, @fields, @at, @at)
                ON CONFLICT (workspace_id, id) DO UPDATE SET fields = excluded.fields, updated_at_us = excluded.updated_at_us
                """,
            _ => """
                INSERT INTO deals (workspace_id, id, contact_id, company_id, amount, stage, expected_close_date, fields, created_at_us, updated_at_us)
                VALUES (@workspace, @id, @contact, @company, @amount, @stage, @close, @fields, @at, @at)
                ON CONFLICT (workspace_id, id) DO UPDATE SET contact_id = excluded.contact_id, company_id = excluded.company_id,
                    amount = excluded.amount, stage = excluded.stage, expected_close_date = excluded.expected_close_date,
                    fields = excluded.fields, updated_at_us = excluded.updated_at_us
                """,
        });
        upsert.With("@workspace", workspace.Value).With("@at", session.NowUs).With("@id", "").With("@fields", "");
        if (kind == RecordKind.Contact)
        {
            upsert.With("@email", null).With("@company", null);
        }
        else if (kind == RecordKind.Deal)
        {
            upsert.With("@contact", null).With("@company", null).With("@amount", null).With("@stage", null).With("@close", null);
        }

        var touched = new Touched();
        var written = 0;
        var unchanged = 0;
        foreach (var (_, item, fields) in valid)
        {
            var before = existing.GetValueOrDefault(item.Id);
            var merged = before is null ? fields : MergeFields(FieldJson.Read(before.Fields), fields);
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

        var rescored = await _rescorer.RescoreAsync(session, workspace, touched, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteResult(written, rejected.ToImmutable(), rescored) { Unchanged = unchanged };
    }

    private static Dictionary<string, FieldValue> MergeFields(Dictionary<string, FieldValue> stored, Dictionary<string, FieldValue> incoming)
    {
        foreach (var (name, value) in incoming)
        {
            stored[name] = value;
        }

        return stored;
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
            RecordKind.Contact => "id, fields, NULL, company_id",
            RecordKind.Company => "id, fields, NULL, NULL",
            _ => "id, fields, contact_id, company_id",
        };
        await using var command = session.Command($"SELECT {columns} FROM {Names.Table(kind)} WHERE workspace_id = @workspace AND {session.Dialect.InList("id", "@ids")}")
            .With("@workspace", workspace.Value);
        session.Dialect.AddList(command, "@ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows[reader.GetString(0)] = new ExistingRecord(reader.GetString(1), reader.NullableString(2), reader.NullableString(3));
        }

        return rows;
    }

    public async ValueTask DisposeAsync() => await dialect.DisposeAsync().ConfigureAwait(false);
}
