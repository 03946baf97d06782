using System.Data.Common;
using System.Globalization;
using LeadScore.Engine.Model;
using LeadScore.Engine.Scoring;
using LeadScore.Storage.Predictive;
using LeadScore.Storage.Records;
using LeadScore.Storage.Scores;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Leads;

/// <summary>
/// The ranked list of leads sales works from.
/// A facet of <see cref="ILeadStore"/>, reached as <c>store.Leads</c>.
/// </summary>
public sealed class LeadRanking
{
    private readonly SqlLeadStore _store;

    internal LeadRanking(SqlLeadStore store) => _store = store;

    /// <summary>
    /// The ranked lead list: current scores under a published model, filtered and paged by keyset
    /// (see <see cref="LeadQuery"/>). Fails with <c>unknown-model</c> (no such published key),
    /// <c>invalid-limit</c>, <c>invalid-segment</c> (not 0 to 9) or <c>invalid-cursor</c> (garbage, or
    /// a cursor of another sort).
    /// </summary>
    public async Task<StoreResult<Page<StoredScore>>> ListLeadsAsync(WorkspaceId workspace, LeadQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (Pages.InvalidLimit(query.Limit, LeadQuery.MaxLimit) is { } badLimit)
        {
            return badLimit;
        }

        if (query.Segment is < 0 or > 9)
        {
            return StoreResult<Page<StoredScore>>.Failure(StoreFailure.InvalidSegment, $"A segment is the thousands digit of a composite score, 0 to 9; {query.Segment} is not one.");
        }

        if (!Enum.IsDefined(query.Sort))
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Sort, "Unknown lead sort.");
        }

        var sort = SortName(query.Sort);
        LeadKey? after = null;
        if (query.Cursor is not null)
        {
            after = PageCursor.Decode(query.Cursor) is [var cursorSort, var value, var recordId] && cursorSort == sort
                && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? new LeadKey(number, recordId)
                : null;
            if (after is null)
            {
                return Pages.InvalidCursor("lead list");
            }
        }

        await using var connection = await _store.Dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        string? target;
        await using (var find = connection.CreateCommand())
        {
            find.CommandText = "SELECT target FROM models WHERE workspace_id = @workspace AND model_key = @model AND status = 'published'";
            find.With("@workspace", workspace.Value).With("@model", query.ModelKey);
            target = await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        if (target is null || Names.Target(target) is not { } kind)
        {
            return StoreResult<Page<StoredScore>>.Failure(StoreFailure.UnknownModel,
                $"No model '{query.ModelKey}' is published in workspace '{workspace}'; leads are ranked by a published model.");
        }

        // Predictions belong to contacts: a list of deals or companies cannot be sorted or filtered by them.
        var predicted = kind == RecordKind.Contact;
        if (!predicted && (query.Tier is not null || query.Sort is LeadSort.ProbabilityDescending or LeadSort.ExpectedValueDescending))
        {
            return StoreResult<Page<StoredScore>>.Failure(StoreFailure.NotPredicted,
                $"Model '{query.ModelKey}' scores {Names.Of(kind)}s; predictions (tier, probability, expected value) are made for contacts only.");
        }

        // Each sort is a key plus the record id, and a page starts strictly after the last row's pair.
        // Leads without a prediction sort last, under the key -1.
        var (orderBy, keyset) = query.Sort switch
        {
            LeadSort.Priority => Descending(PriorityKey(predicted)),
            LeadSort.ScoreDescending => ("s.score DESC, s.record_id", "s.score < @afterKey OR (s.score = @afterKey AND s.record_id > @afterId)"),
            LeadSort.ScoreAscending => ("s.score, s.record_id", "s.score > @afterKey OR (s.score = @afterKey AND s.record_id > @afterId)"),
            LeadSort.RecentlyScored => ("s.scored_at_us DESC, s.record_id", "s.scored_at_us < @afterKey OR (s.scored_at_us = @afterKey AND s.record_id > @afterId)"),
            LeadSort.ProbabilityDescending => Descending("COALESCE(p.probability_ppm, -1)"),
            LeadSort.ExpectedValueDescending => Descending("COALESCE(p.expected_value_cents, -1)"),
            _ => ("s.record_id", "s.record_id > @afterId"),
        };
        var status = StatusSql(kind);
        var statuses = query.Statuses.Where(s => Possible(kind).Contains(s)).ToList();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {PrefixedScoreColumns}{(predicted ? ", " + PrefixedPredictionColumns : "")}, {status} FROM scores s
            {(predicted ? "LEFT JOIN predictions p ON p.workspace_id = s.workspace_id AND p.contact_id = s.record_id" : "")}
            WHERE s.workspace_id = @workspace AND s.model_key = @model AND s.record_kind = @kind
            {(statuses.Count == Possible(kind).Count ? "" : $"AND {status} IN ({string.Join(", ", statuses.Select(s => $"'{LeadStatuses.Name(s)}'").DefaultIfEmpty("''"))})")}
            {(query.Grade is null ? "" : "AND s.grade = @grade")}
            {(query.Threshold is null ? "" : @"AND (',' || s.thresholds || ',') LIKE @threshold ESCAPE '\'")}
            {(query.Segment is null ? "" : "AND s.score BETWEEN @low AND @high")}
            {(query.Tier is null ? "" : "AND p.tier = @tier")}
            {(string.IsNullOrWhiteSpace(query.Search) ? "" : SearchSql)}
            {(after is null ? "" : $"AND ({keyset})")}
            ORDER BY {orderBy} LIMIT {query.Limit + 1}
            """;
        command.With("@workspace", workspace.Value).With("@model", query.ModelKey).With("@kind", Names.Of(kind)).With("@tier", query.Tier is { } tier ? PriorityTiers.Name(tier) : null)
            .With("@grade", query.Grade).With("@threshold", $"%,{Like.Escape(query.Threshold ?? "")},%")
            .With("@low", (query.Segment ?? 0) * 1000L).With("@high", ((query.Segment ?? 0) * 1000L) + 999)
            .With("@afterKey", after?.Key ?? 0L).With("@afterId", after?.RecordId ?? "")
            .With("@search", $"%{Like.Escape(query.Search?.Trim().ToLowerInvariant() ?? "")}%");
        var leads = new List<StoredScore>(Math.Min(query.Limit + 1, 128));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var lead = ScoreStore.ReadScore(reader) with { Status = Status(reader.GetString(reader.FieldCount - 1)) };
                leads.Add(predicted ? lead with { Prediction = PredictiveStore.ReadPrediction(reader, ScoreColumnCount) } : lead);
            }
        }

        if (predicted)
        {
            leads = await WithContactsAsync(connection, workspace, leads, cancellationToken).ConfigureAwait(false);
        }

        return StoreResult<Page<StoredScore>>.Success(Pages.ToPage(leads, query.Limit, last =>
            PageCursor.Encode(sort, SortKey(query.Sort, last).ToString(CultureInfo.InvariantCulture), last.RecordId)));
    }

    /// <summary>
    /// Adds each lead's contact summary in one more query for the page: a primary-key probe of contacts
    /// and of the newest event per row (events are clustered by contact and time), so a page of 100
    /// costs 100 index seeks, whatever the workspace's size.
    /// </summary>
    private static async Task<List<StoredScore>> WithContactsAsync(DbConnection connection, WorkspaceId workspace, List<StoredScore> leads, CancellationToken cancellationToken)
    {
        if (leads.Count == 0)
        {
            return leads;
        }

        long? trainedAtUs;
        await using (var trained = connection.CreateCommand())
        {
            trained.CommandText = "SELECT MAX(trained_at_us) FROM predictive_models WHERE workspace_id = @workspace";
            trained.With("@workspace", workspace.Value);
            var value = await trained.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            trainedAtUs = value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }

        await using var command = connection.CreateCommand();
        var ids = string.Join(", ", leads.Select((_, i) => $"@id{i}"));
        command.CommandText = $"""
            SELECT c.id, c.email, c.fields, c.created_at_us,
                (SELECT e.occurred_at_us FROM events e WHERE e.workspace_id = c.workspace_id AND e.contact_id = c.id ORDER BY e.occurred_at_us DESC LIMIT 1),
                (SELECT e.type FROM events e WHERE e.workspace_id = c.workspace_id AND e.contact_id = c.id ORDER BY e.occurred_at_us DESC LIMIT 1)
            FROM contacts c WHERE c.workspace_id = @workspace AND c.id IN ({ids})
            """;
        command.With("@workspace", workspace.Value);
        for (var i = 0; i < leads.Count; i++)
        {
            command.With($"@id{i}", leads[i].RecordId);
        }

        var contacts = new Dictionary<string, (LeadContact Contact, long CreatedAtUs)>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var fields = FieldJson.Read(reader.IsDBNull(2) ? null : reader.GetString(2));
                string? Text(string name) => fields.TryGetValue(name, out var value) && !value.IsMissing ? value.Text : null;
                var name = string.Join(' ', new[] { Text("firstName"), Text("lastName") }.OfType<string>());
                contacts[reader.GetString(0)] = (new LeadContact(
                    name.Length > 0 ? name : Text("name"),
                    reader.IsDBNull(1) ? Text("email") : reader.GetString(1),
                    Text("company") ?? Text("companyName"),
                    Text("owner"),
                    reader.IsDBNull(4) ? null : Micros.ToInstant(reader.GetInt64(4)),
                    reader.IsDBNull(5) ? null : reader.GetString(5)), reader.GetInt64(3));
            }
        }

        return [.. leads.Select(lead => contacts.TryGetValue(lead.RecordId, out var found)
            ? lead with { Contact = found.Contact, NoPrediction = WhyNoPrediction(lead, found.CreatedAtUs, trainedAtUs) }
            : lead)];
    }

    private static MissingPrediction? WhyNoPrediction(StoredScore lead, long createdAtUs, long? trainedAtUs) => lead switch
    {
        { Prediction: not null } => null,
        { Status: LeadStatus.Converted } => MissingPrediction.ConvertedAlready,
        _ when trainedAtUs is null => MissingPrediction.NoModelYet,
        _ when createdAtUs > trainedAtUs => MissingPrediction.CreatedAfterTraining,
        _ => MissingPrediction.NotPredicted,
    };

    /// <summary>
    /// Whom to call first as one number, so the keyset works as for any sort: qualified (all
    /// requirements met) first, then points, then the probability in parts per million (none: -1).
    /// Points are far below ±100,000 on any scale a model can declare, so the parts never overlap.
    /// </summary>
    private static string PriorityKey(bool predicted) =>
        $"(s.qualified * {QualifiedWeight} + (s.points + {PointsOffset}) * {PointsWeight}{(predicted ? " + COALESCE(p.probability_ppm, -1) + 1" : "")})";

    private const long PointsWeight = 10_000_000;
    private const long PointsOffset = 100_000;
    private const long QualifiedWeight = 10_000_000_000_000;

    private static long PriorityKeyOf(StoredScore lead) =>
        ((lead.Qualified ? 1 : 0) * QualifiedWeight) + ((lead.Points + PointsOffset) * PointsWeight)
        + (lead.Kind == RecordKind.Contact ? (lead.Prediction is { } p ? PredictiveStore.ToPpm(p.Probability) : -1) + 1 : 0);

    /// <summary>Each row's <see cref="LeadStatus"/>, in SQL, for the record kind the model scores.</summary>
    private static string StatusSql(RecordKind kind) => kind switch
    {
        RecordKind.Contact => """
            (CASE WHEN EXISTS (SELECT 1 FROM outcomes o WHERE o.workspace_id = s.workspace_id AND o.record_kind = 'contact' AND o.record_id = s.record_id AND o.outcome = 'converted')
                OR EXISTS (SELECT 1 FROM deals d JOIN outcomes o ON o.workspace_id = d.workspace_id AND o.record_kind = 'deal' AND o.record_id = d.id AND o.outcome = 'won'
                    WHERE d.workspace_id = s.workspace_id AND d.contact_id = s.record_id) THEN 'converted'
            WHEN s.disqualified_by IS NOT NULL THEN 'disqualified' ELSE 'open' END)
            """,
        RecordKind.Deal => """
            (CASE WHEN EXISTS (SELECT 1 FROM outcomes o WHERE o.workspace_id = s.workspace_id AND o.record_kind = 'deal' AND o.record_id = s.record_id AND o.outcome = 'won') THEN 'won'
            WHEN EXISTS (SELECT 1 FROM outcomes o WHERE o.workspace_id = s.workspace_id AND o.record_kind = 'deal' AND o.record_id = s.record_id AND o.outcome = 'lost') THEN 'lost'
            WHEN s.disqualified_by IS NOT NULL THEN 'disqualified' ELSE 'open' END)
            """,
        _ => "(CASE WHEN s.disqualified_by IS NOT NULL THEN 'disqualified' ELSE 'open' END)",
    };

    /// <summary>The statuses a record of the kind can have: a list asking for all of them needs no filter.</summary>
    private static IReadOnlySet<LeadStatus> Possible(RecordKind kind) => kind switch
    {
        RecordKind.Contact => ContactStatuses,
        RecordKind.Deal => DealStatuses,
        _ => CompanyStatuses,
    };

    private static readonly IReadOnlySet<LeadStatus> ContactStatuses = new HashSet<LeadStatus> { LeadStatus.Open, LeadStatus.Converted, LeadStatus.Disqualified };
    private static readonly IReadOnlySet<LeadStatus> DealStatuses = new HashSet<LeadStatus> { LeadStatus.Open, LeadStatus.Won, LeadStatus.Lost, LeadStatus.Disqualified };
    private static readonly IReadOnlySet<LeadStatus> CompanyStatuses = new HashSet<LeadStatus> { LeadStatus.Open, LeadStatus.Disqualified };

    private static LeadStatus Status(string name) => LeadStatuses.Named(name) ?? LeadStatus.Open;

    private static readonly int ScoreColumnCount = ScoreStore.ScoreColumns.Split(", ").Length;
    private static readonly string PrefixedScoreColumns = string.Join(", ", ScoreStore.ScoreColumns.Split(", ").Select(c => "s." + c));
    private static readonly string PrefixedPredictionColumns = string.Join(", ", PredictiveStore.PredictionColumns.Split(", ").Select(c => "p." + c));

    private static (string OrderBy, string Keyset) Descending(string key) =>
        ($"{key} DESC, s.record_id", $"{key} < @afterKey OR ({key} = @afterKey AND s.record_id > @afterId)");

    /// <summary>
    /// The text search: the record id, or its contact's email or "first last" name, contains the text.
    /// A scan of the model's scores with a primary-key probe of contacts per row; the keyset still bounds each page.
    /// </summary>
    private string SearchSql
    {
        get
        {
            var (first, last) = _store.Dialect is PostgresDialect
                ? ("c.fields::jsonb ->> 'firstName'", "c.fields::jsonb ->> 'lastName'")
                : ("json_extract(c.fields, '$.firstName')", "json_extract(c.fields, '$.lastName')");
            return $"""
                AND (lower(s.record_id) LIKE @search ESCAPE '\' OR EXISTS (
                    SELECT 1 FROM contacts c WHERE c.workspace_id = s.workspace_id AND c.id = s.record_id
                    AND (lower(c.email) LIKE @search ESCAPE '\' OR lower(coalesce({first}, '') || ' ' || coalesce({last}, '')) LIKE @search ESCAPE '\')))
                """;
        }
    }

    /// <summary>Where a page of leads ends: the last row's sort key and record id.</summary>
    private sealed record LeadKey(long Key, string RecordId);

    private static string SortName(LeadSort sort) => sort switch
    {
        LeadSort.Priority => "priority",
        LeadSort.ScoreDescending => "score-desc",
        LeadSort.ScoreAscending => "score-asc",
        LeadSort.RecentlyScored => "recent",
        LeadSort.ProbabilityDescending => "probability-desc",
        LeadSort.ExpectedValueDescending => "expected-value-desc",
        _ => "record-id",
    };

    private static long SortKey(LeadSort sort, StoredScore score) => sort switch
    {
        LeadSort.Priority => PriorityKeyOf(score),
        LeadSort.ScoreDescending or LeadSort.ScoreAscending => score.Score,
        LeadSort.RecentlyScored => Micros.From(score.ScoredAt),
        LeadSort.ProbabilityDescending => score.Prediction is { } p ? PredictiveStore.ToPpm(p.Probability) : -1,
        LeadSort.ExpectedValueDescending => score.Prediction?.ExpectedValue is { } value ? (long)Math.Round(value * 100) : -1,
        _ => 0,
    };
}
