using System.Globalization;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Sql;

internal sealed partial class SqlLeadStore
{
    public async Task<StoreResult<Page<StoredScore>>> ListLeadsAsync(WorkspaceId workspace, LeadQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (InvalidLimit(query.Limit, LeadQuery.MaxLimit) is { } badLimit)
        {
            return badLimit;
        }

        if (query.Segment is < 0 or > 9)
        {
            return StoreResult<Page<StoredScore>>.Failure("invalid-segment", $"A segment is the thousands digit of a composite score, 0 to 9; {query.Segment} is not one.");
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
                return InvalidCursor("lead list");
            }
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        string? target;
        await using (var find = connection.CreateCommand())
        {
            find.CommandText = "SELECT target FROM models WHERE workspace_id = @workspace AND model_key = @model AND status = 'published'";
            find.With("@workspace", workspace.Value).With("@model", query.ModelKey);
            target = await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        if (target is null || Names.Target(target) is not { } kind)
        {
            return StoreResult<Page<StoredScore>>.Failure("unknown-model",
                $"No model '{query.ModelKey}' is published in workspace '{workspace}'; leads are ranked by a published model.");
        }

        // Each sort is a key plus the record id, and a page starts strictly after the last row's pair.
        var (orderBy, keyset) = query.Sort switch
        {
            LeadSort.ScoreDescending => ("score DESC, record_id", "score < @afterKey OR (score = @afterKey AND record_id > @afterId)"),
            LeadSort.ScoreAscending => ("score, record_id", "score > @afterKey OR (score = @afterKey AND record_id > @afterId)"),
            LeadSort.RecentlyScored => ("scored_at_us DESC, record_id", "scored_at_us < @afterKey OR (scored_at_us = @afterKey AND record_id > @afterId)"),
            _ => ("record_id", "record_id > @afterId"),
        };
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {ScoreColumns} FROM scores
            WHERE workspace_id = @workspace AND model_key = @model AND record_kind = @kind
            {(query.Grade is null ? "" : "AND grade = @grade")}
            {(query.Threshold is null ? "" : @"AND (',' || thresholds || ',') LIKE @threshold ESCAPE '\'")}
            {(query.Segment is null ? "" : "AND score BETWEEN @low AND @high")}
            {(string.IsNullOrWhiteSpace(query.Search) ? "" : SearchSql)}
            {(after is null ? "" : $"AND ({keyset})")}
            ORDER BY {orderBy} LIMIT {query.Limit + 1}
            """;
        command.With("@workspace", workspace.Value).With("@model", query.ModelKey).With("@kind", Names.Of(kind))
            .With("@grade", query.Grade).With("@threshold", $"%,{EscapeLike(query.Threshold ?? "")},%")
            .With("@low", (query.Segment ?? 0) * 1000L).With("@high", ((query.Segment ?? 0) * 1000L) + 999)
            .With("@afterKey", after?.Key ?? 0L).With("@afterId", after?.RecordId ?? "")
            .With("@search", $"%{EscapeLike(query.Search?.Trim().ToLowerInvariant() ?? "")}%");
        var leads = new List<StoredScore>(Math.Min(query.Limit + 1, 128));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leads.Add(ReadScore(reader));
        }

        return StoreResult<Page<StoredScore>>.Success(ToPage(leads, query.Limit, last =>
            PageCursor.Encode(sort, SortKey(query.Sort, last).ToString(CultureInfo.InvariantCulture), last.RecordId)));
    }

    /// <summary>
    /// The text search: the record id, or its contact's email or "first last" name, contains the text.
    /// A scan of the model's scores with a primary-key probe of contacts per row; the keyset still bounds each page.
    /// </summary>
    private string SearchSql
    {
        get
        {
            var (first, last) = dialect is PostgresDialect
                ? ("c.fields::jsonb ->> 'firstName'", "c.fields::jsonb ->> 'lastName'")
                : ("json_extract(c.fields, '$.firstName')", "json_extract(c.fields, '$.lastName')");
            return $"""
                AND (lower(record_id) LIKE @search ESCAPE '\' OR EXISTS (
                    SELECT 1 FROM contacts c WHERE c.workspace_id = scores.workspace_id AND c.id = scores.record_id
                    AND (lower(c.email) LIKE @search ESCAPE '\' OR lower(coalesce({first}, '') || ' ' || coalesce({last}, '')) LIKE @search ESCAPE '\')))
                """;
        }
    }

    /// <summary>Where a page of leads ends: the last row's sort key and record id.</summary>
    private sealed record LeadKey(long Key, string RecordId);

    private static string SortName(LeadSort sort) => sort switch
    {
        LeadSort.ScoreDescending => "score-desc",
        LeadSort.ScoreAscending => "score-asc",
        LeadSort.RecentlyScored => "recent",
        _ => "record-id",
    };

    private static long SortKey(LeadSort sort, StoredScore score) => sort switch
    {
        LeadSort.ScoreDescending or LeadSort.ScoreAscending => score.Score,
        LeadSort.RecentlyScored => Micros.From(score.ScoredAt),
        _ => 0,
    };

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
