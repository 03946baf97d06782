using System.Net;
using System.Text.Json;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    /// <summary>
    /// Four contacts under <see cref="TestModel"/>: a 90 points (A, mql, segment 2: score 2090), b 70
    /// (B, mql, segment 1: 1070), c 20 (C, segment 2: 2020), d 0 (C, segment 1: 1000).
    /// </summary>
    private static async Task RankedContactsAsync(HttpClient client)
    {
        const string contacts = """
            [
              {"id": "a", "jobTitle": "VP", "employees": 500},
              {"id": "b", "jobTitle": "VP", "employees": 10},
              {"id": "c", "employees": 500},
              {"id": "d", "employees": 10}
            ]
            """;
        await ShouldSucceedAsync(await PostAsync(client, "/api/v1/contacts/batch", contacts));
        await PublishAsync(client);
        var at = DaysAgo(1);
        var events = $$"""
            [
              {"id": "demo-a", "contact": "a", "type": "demo_requested", "occurredAt": "{{at}}"},
              {"id": "demo-b", "contact": "b", "type": "demo_requested", "occurredAt": "{{at}}"}
            ]
            """;
        var ingested = await ShouldSucceedAsync(await PostAsync(client, "/api/v1/events/batch", events));
        ingested.GetProperty("accepted").GetInt32().ShouldBe(2);
    }

    private static async Task<string> LeadIdsAsync(HttpClient client, string query)
    {
        var page = await ShouldSucceedAsync(await client.GetAsync("/api/v1/leads" + query, Ct));
        return Ids(page.GetProperty("items"));
    }

    [Fact]
    public async Task Scores_OfAScoredContact_CarryTheExplanation()
    {
        await using var server = await StartServerAsync();
        await RankedContactsAsync(server.Client);

        var score = await ScoreOfAsync(server.Client, "a");

        score.GetProperty("model").GetString().ShouldBe("test-model");
        score.GetProperty("points").GetInt32().ShouldBe(90);
        score.GetProperty("score").GetInt32().ShouldBe(2090);
        score.GetProperty("grade").GetString().ShouldBe("A");
        score.GetProperty("thresholds").EnumerateArray().Select(t => t.GetString()).ShouldBe(["mql"]);
        var rules = score.GetProperty("explanation").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("rule").GetString()).ToList();
        rules.ShouldBe(["senior", "large", "demo"], ignoreOrder: true);
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/contacts/nobody/scores", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Leads_RankFilterSortAndPage()
    {
        await using var server = await StartServerAsync();
        await RankedContactsAsync(server.Client);

        // By priority (the default) points come before the segment digit: b outranks c, whose composite score is higher.
        (await LeadIdsAsync(server.Client, "")).ShouldBe("a,b,c,d");
        (await LeadIdsAsync(server.Client, "?sort=-score")).ShouldBe("a,c,b,d");
        (await LeadIdsAsync(server.Client, "?model=test-model&grade=B")).ShouldBe("b");
        (await LeadIdsAsync(server.Client, "?threshold=mql")).ShouldBe("a,b");
        (await LeadIdsAsync(server.Client, "?segment=2")).ShouldBe("a,c");
        (await LeadIdsAsync(server.Client, "?sort=score")).ShouldBe("d,b,c,a");
        (await LeadIdsAsync(server.Client, "?sort=id")).ShouldBe("a,b,c,d");

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/leads?limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), Ct));
            seen.AddRange(Ids(page.GetProperty("items")).Split(',', StringSplitOptions.RemoveEmptyEntries));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null && pages < 5);

        seen.ShouldBe(["a", "b", "c", "d"]);
        pages.ShouldBe(2);
    }

    [Theory]
    [InlineData("?sort=loudest", "sort")]
    [InlineData("?status=customers", "status")]
    [InlineData("?segment=12", "segment")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?model=nothing", "nothing")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    public async Task Leads_BadQueryValue_Returns4xxNamingIt(string query, string named)
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);

        using var response = await server.Client.GetAsync("/api/v1/leads" + query, Ct);
        var status = response.StatusCode == HttpStatusCode.NotFound ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest;
        var problem = await ShouldBeProblemAsync(response, status);

        Detail(problem).ShouldContain(named);
    }

    [Fact]
    public async Task History_ShowsEachChangeWithItsCauseAndTheScoreAtAnInstant()
    {
        await using var server = await StartServerAsync();
        await RankedContactsAsync(server.Client);

        var history = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/a/history", Ct));

        history.GetProperty("model").GetString().ShouldBe("test-model");
        var entries = history.GetProperty("entries").EnumerateArray().ToList();
        entries.Select(e => e.GetProperty("cause").GetString()).ShouldBe(["publish", "event"]);
        entries[0].GetProperty("newPoints").GetInt32().ShouldBe(50);
        entries[1].GetProperty("oldPoints").GetInt32().ShouldBe(50);
        entries[1].GetProperty("newPoints").GetInt32().ShouldBe(90);
        entries[1].GetProperty("causeId").GetString().ShouldBe("demo-a");

        var publishedAt = entries[0].GetProperty("at").GetDateTimeOffset();
        var atPublish = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/contacts/a/history?at={Uri.EscapeDataString(publishedAt.ToString("O"))}", Ct));
        var now = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/contacts/a/history?model=test-model&at={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}", Ct));
        var before = await ShouldBeProblemAsync(
            await server.Client.GetAsync("/api/v1/contacts/a/history?at=2000-01-01T00:00:00Z", Ct), HttpStatusCode.NotFound);

        atPublish.GetProperty("newPoints").GetInt32().ShouldBe(50);
        now.GetProperty("newPoints").GetInt32().ShouldBe(90);
        Code(before).ShouldBe("no-score");
    }

    [Fact]
    public async Task Adjustment_ChangesTheScoreAndShowsInHistory()
    {
        await using var server = await StartServerAsync();
        await RankedContactsAsync(server.Client);

        using var response = await PostAsync(server.Client, "/api/v1/contacts/d/adjustments",
            """{"model": "test-model", "category": "fit", "points": 15, "reason": "met at the trade show"}""");
        var adjusted = await BodyAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, adjusted.ToString());
        adjusted.GetProperty("points").GetInt32().ShouldBe(15);
        (await ScoreOfAsync(server.Client, "d")).GetProperty("points").GetInt32().ShouldBe(15);
        var history = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/d/history", Ct));
        var last = history.GetProperty("entries").EnumerateArray().Last();
        last.GetProperty("cause").GetString().ShouldBe("adjustment");
        last.GetProperty("newPoints").GetInt32().ShouldBe(15);
        await ShouldBeProblemAsync(
            await PostAsync(server.Client, "/api/v1/contacts/nobody/adjustments", """{"model": "test-model", "category": "fit", "points": 5, "reason": "x"}"""),
            HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Outcomes_OneObjectOrAnArray_AreRecordedAndBadItemsRejected()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts", """{"id": "c1"}"""), HttpStatusCode.Created);
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/deals", """{"id": "d1", "contactId": "c1", "amount": 5000}"""), HttpStatusCode.Created);
        var at = DaysAgo(1);

        var single = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/outcomes", $$"""{"record": "contact", "id": "c1", "outcome": "converted", "occurredAt": "{{at}}"}"""));
        var array = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/outcomes", $$"""
            [
              {"record": "deal", "id": "d1", "outcome": "won", "occurredAt": "{{at}}", "amount": 5000},
              {"record": "contact", "id": "c1", "outcome": "won", "occurredAt": "{{at}}"},
              {"record": "deal", "id": "nobody", "outcome": "lost", "occurredAt": "{{at}}"}
            ]
            """));
        var again = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/outcomes", $$"""{"record": "contact", "id": "c1", "outcome": "converted", "occurredAt": "{{at}}"}"""));
        var invalid = await ShouldBeProblemAsync(
            await PostAsync(server.Client, "/api/v1/outcomes", $$"""{"record": "contact", "id": "c1", "outcome": "maybe", "occurredAt": "{{at}}"}"""),
            HttpStatusCode.UnprocessableEntity);

        single.GetProperty("written").GetInt32().ShouldBe(1);
        array.GetProperty("written").GetInt32().ShouldBe(1);
        array.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).ShouldBe([1, 2]);
        again.GetProperty("written").GetInt32().ShouldBe(0);
        Detail(invalid).ShouldContain("maybe");
    }
}
