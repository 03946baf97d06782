using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LeadScore.Server.Tests.Fixtures;

namespace LeadScore.Server.Tests.Api;

/// <summary>
/// Issue 25: values JSON allows but no store can hold (a number beyond a double's range, bytes that
/// are not UTF-8, a lone surrogate, a NUL) are refused with their JSON path, the same on SQLite and
/// PostgreSQL, one bad item of a batch alone. Bodies are written as text in which <c>&lt;FF&gt;</c>
/// stands for the raw byte 0xFF (see <see cref="Bytes"/>), so a test can send what no encoder would.
/// </summary>
public abstract partial class ApiContract
{
    [Fact]
    public async Task EventBatch_OneNumberOutOfRange_StoresTheValidItemAndRejectsTheOtherWithItsPath()
    {
        await using var server = await StartServerAsync();
        var at = DaysAgo(1);
        var body = $$$"""
            [
              {"id": "good", "contact": "c1", "type": "email_open", "occurredAt": "{{{at}}}"},
              {"id": "huge", "contact": "c1", "type": "email_open", "occurredAt": "{{{at}}}", "properties": {"employees": 1e400}}
            ]
            """;

        var result = await ShouldSucceedAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/events/batch", Bytes(body)));

        result.GetProperty("accepted").GetInt32().ShouldBe(1);
        var rejected = result.GetProperty("rejected").EnumerateArray().Single();
        rejected.GetProperty("index").GetInt32().ShouldBe(1);
        rejected.GetProperty("path").GetString().ShouldBe("$[1].properties.employees");
        rejected.GetProperty("reason").GetString()!.ShouldContain("out of range");
        (await EventIdsAsync(server.Client, "c1")).ShouldBe(["good"]);
    }

    [Theory]
    [InlineData("""{"id": "bad", "contact": "c1", "type": "email_<FF>open", "occurredAt": "AT"}""", "$[1].type", "UTF-8")]
    [InlineData("""{"id": "bad", "contact": "c1", "type": "email_open", "occurredAt": "AT", "properties": {"title": "<ED><A0><80>"}}""", "$[1].properties.title", "UTF-8")]
    [InlineData("""{"id": "bad", "contact": "c1", "type": "email_open", "occurredAt": "AT", "properties": {"title": "\ud800"}}""", "$[1].properties.title", "surrogate")]
    [InlineData("""{"id": "bad", "contact": "c1", "type": "email_open", "occurredAt": "AT", "url": "a\udc00"}""", "$[1].url", "surrogate")]
    [InlineData("""{"id": "b\u0000d", "contact": "c1", "type": "email_open", "occurredAt": "AT"}""", "$[1].id", "NUL")]
    [InlineData("""{"id": "bad", "contact": "c\u0000", "type": "email_open", "occurredAt": "AT"}""", "$[1].contact", "NUL")]
    [InlineData("""{"id": "bad", "contact": "c1", "type": "email_open", "occurredAt": "AT", "properties": {"a\u0000": 1}}""", "$[1].properties", "NUL")]
    [InlineData("""{"id": "bad", "contact": "c1", "type": "email_open", "occurredAt": "AT", "properties": {"n": -1e400}}""", "$[1].properties.n", "out of range")]
    public async Task EventBatch_OneUnstorableValue_StoresTheOthersAndRejectsThatItemWithItsPath(string badItem, string path, string reason)
    {
        await using var server = await StartServerAsync();
        var at = DaysAgo(1);
        var body = $$"""
            [
              {"id": "first", "contact": "c1", "type": "email_open", "occurredAt": "{{at}}"},
              {{badItem.Replace("AT", at, StringComparison.Ordinal)}},
              {"id": "last", "contact": "c1", "type": "demo_requested", "occurredAt": "{{at}}"}
            ]
            """;

        var result = await ShouldSucceedAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/events/batch", Bytes(body)));

        result.GetProperty("accepted").GetInt32().ShouldBe(2);
        var rejected = result.GetProperty("rejected").EnumerateArray().Single();
        rejected.GetProperty("index").GetInt32().ShouldBe(1);
        rejected.GetProperty("path").GetString().ShouldBe(path);
        rejected.GetProperty("reason").GetString()!.ShouldContain(reason);
        (await EventIdsAsync(server.Client, "c1")).ShouldBe(["first", "last"], ignoreOrder: true);
        (await CountAsync(server.Client, "contacts")).ShouldBe(1);
    }

    [Theory]
    [InlineData("""{"employees": 1e400}""", "$.employees", "invalid-record")]
    [InlineData("""{"employees": -1e400}""", "$.employees", "invalid-record")]
    [InlineData("""{"employees": 99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999}""", "$.employees", "invalid-record")]
    [InlineData("""{"jobTitle": "\ud800"}""", "$.jobTitle", "invalid-record")]
    [InlineData("""{"jobTitle": "VP<FF>"}""", "$.jobTitle", "invalid-record")]
    [InlineData("""{"jobTitle": "V\u0000P"}""", "$.jobTitle", "invalid-record")]
    [InlineData("""{"job\ud800Title": "VP"}""", "$", "invalid-record")]
    public async Task ContactPut_UnstorableValue_Returns422WithItsPathAndLeavesTheContactUnchanged(string body, string path, string code)
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/c1", """{"jobTitle": "CTO", "employees": 50}"""), HttpStatusCode.Created);

        var problem = await ShouldBeProblemAsync(
            await SendBytesAsync(server.Client, HttpMethod.Put, "/api/v1/contacts/c1", Bytes(body)), HttpStatusCode.UnprocessableEntity);

        Code(problem).ShouldBe(code);
        problem.GetProperty("path").GetString().ShouldBe(path);
        Detail(problem).ShouldContain(path);
        var stored = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/c1", Ct));
        stored.GetProperty("fields").GetProperty("jobTitle").GetString().ShouldBe("CTO");
        stored.GetProperty("fields").GetProperty("employees").GetDouble().ShouldBe(50);
    }

    [Fact]
    public async Task ContactBatch_NulIdBesideAValidContact_StoresTheValidOneOnly()
    {
        await using var server = await StartServerAsync();

        var result = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts/batch",
            """[{"id": "a\u0000b", "jobTitle": "VP"}, {"id": "ok", "jobTitle": "VP", "employees": 1e308}]"""));

        result.GetProperty("written").GetInt32().ShouldBe(1);
        var rejected = result.GetProperty("rejected").EnumerateArray().Single();
        rejected.GetProperty("index").GetInt32().ShouldBe(0);
        rejected.GetProperty("path").GetString().ShouldBe("$[0].id");
        (await CountAsync(server.Client, "contacts")).ShouldBe(1);
    }

    [Theory]
    [InlineData("""{"record": "contact", "id": "c\u0000", "outcome": "converted", "occurredAt": "AT"}""", "$.id")]
    [InlineData("""{"record": "contact", "id": "c1", "outcome": "converted", "occurredAt": "AT", "amount": 1e400}""", "$.amount")]
    public async Task Outcome_UnstorableValue_Returns422WithItsPath(string body, string path)
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/c1", """{"jobTitle": "CTO"}"""), HttpStatusCode.Created);

        var problem = await ShouldBeProblemAsync(
            await PostAsync(server.Client, "/api/v1/outcomes", body.Replace("AT", DaysAgo(1), StringComparison.Ordinal)), HttpStatusCode.UnprocessableEntity);

        Code(problem).ShouldBe("invalid-outcome");
        problem.GetProperty("path").GetString().ShouldBe(path);
    }

    [Theory]
    [InlineData("/api/v1/models", """{"key": "m\u0000", "name": "x", "target": "contact"}""", "invalid-text", "$.key")]
    [InlineData("/api/v1/models", """{"key": "m", "name": "x", "target": "contact", "rules": [{"points": 1e400}]}""", "invalid-number", "$.rules[0].points")]
    [InlineData("/api/v1/keys", """{"scope": "read", "name": "\ud800"}""", "invalid-text", "$.name")]
    [InlineData("/api/v1/sites", """{"name": "<C3>", "origins": ["https://www.example.com"]}""", "invalid-text", "$.name")]
    [InlineData("/api/v1/contacts/c1/adjustments", """{"model": "m", "category": "fit", "points": -1e400, "reason": "r"}""", "invalid-number", "$.points")]
    public async Task FixedShapeBody_UnstorableValue_Returns400WithItsCodeAndPath(string url, string body, string code, string path)
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(await SendBytesAsync(server.Client, HttpMethod.Post, url, Bytes(body)), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe(code);
        problem.GetProperty("path").GetString().ShouldBe(path);
    }

    [Theory]
    [InlineData("""{"jobTitle": "VP"}<FF>""")]
    [InlineData("""<FF><FE>{"jobTitle": "VP"}""")]
    [InlineData("""{"jobTitle"<C3>: "VP"}""")]
    public async Task ContactPut_BodyNotUtf8Json_Returns400ForTheRequest(string body)
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(
            await SendBytesAsync(server.Client, HttpMethod.Put, "/api/v1/contacts/c1", Bytes(body)), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe("malformed-json");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"v": "vis1", "events": [{"id": "e1", "type": "page_view", "properties": {"n": 1e400}}]}""", "invalid-number", "$.events[0].properties.n")]
    [InlineData("""{"v": "vis1", "events": [{"id": "e1", "type": "page_view", "title": "\ud800"}]}""", "invalid-text", "$.events[0].title")]
    [InlineData("""{"v": "vis1", "events": [{"id": "e1", "type": "page_view", "title": "<ED><A0><80>"}]}""", "invalid-text", "$.events[0].title")]
    [InlineData("""{"v": "vis1", "events": [{"id": "e1", "type": "page_view", "url": "https://www.example.com/\u0000"}]}""", "invalid-text", "$.events[0].url")]
    [InlineData("""{"v": "vis1", "events": [{"id": "e1", "type": "page_view"}], "identify": {"email": "a@b.c", "traits": {"n": -1e400}}}""", "invalid-number", "$.identify.traits.n")]
    public async Task Collect_UnstorableValue_Returns400AndStoresNothing(string body, string code, string path)
    {
        await using var server = await StartServerAsync();
        var key = await CreateSiteAsync(server);

        var problem = await ShouldBeProblemAsync(await CollectBytesAsync(server, key, Bytes(body), "vis1"), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe(code);
        problem.GetProperty("path").GetString().ShouldBe(path);
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Fact]
    public async Task Collect_VisitorInTheBodyNotText_Returns400()
    {
        await using var server = await StartServerAsync();
        var key = await CreateSiteAsync(server);

        var problem = await ShouldBeProblemAsync(
            await CollectBytesAsync(server, key, Bytes("""{"v": 42, "events": [{"id": "e1", "type": "page_view"}]}"""), "vis1"), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe("invalid-visitor");
    }

    [Theory]
    [InlineData("GET", "/api/v1/leads?cursor=%00")]
    [InlineData("GET", "/api/v1/leads?q=a%00")]
    [InlineData("GET", "/api/v1/contacts?cursor=%00")]
    [InlineData("GET", "/api/v1/contacts/c1/history?model=m%00")]
    [InlineData("GET", "/api/v1/deliveries?contact=%00")]
    [InlineData("PUT", "/api/v1/contacts/c1?x%00=1")]
    [InlineData("POST", "/t/collect?k=pk_1&v=a%00")]
    public async Task Query_WithNul_Returns400InvalidTextOnBothStores(string method, string url)
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(
            await SendBytesAsync(server.Client, new HttpMethod(method), url, method == "GET" ? null : Bytes("""{"jobTitle": "VP"}""")),
            HttpStatusCode.BadRequest);

        Code(problem).ShouldBe("invalid-text");
        Detail(problem).ShouldContain("NUL");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    /// <summary>Kestrel refuses a path that decodes to a NUL itself (an empty 400) before any endpoint runs; the server's own check is a second line.</summary>
    [Theory]
    [InlineData("GET", "/api/v1/contacts/a%00b")]
    [InlineData("GET", "/api/v1/contacts/a%00b/events")]
    [InlineData("PUT", "/api/v1/contacts/a%00b")]
    [InlineData("DELETE", "/api/v1/deals/a%00b")]
    public async Task Path_WithNul_Returns400AndStoresNothing(string method, string url)
    {
        await using var server = await StartServerAsync();

        using var response = await SendBytesAsync(server.Client, new HttpMethod(method), url, method == "PUT" ? Bytes("""{"jobTitle": "VP"}""") : null);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Fact]
    public async Task ContactList_CursorHoldingNul_Returns400InvalidCursor()
    {
        await using var server = await StartServerAsync();
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("""["contact","a\u0000"]"""));

        var problem = await ShouldBeProblemAsync(await server.Client.GetAsync($"/api/v1/contacts?cursor={forged}", Ct), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe("invalid-cursor");
    }

    /// <summary>
    /// Text as UTF-8 bytes, except that <c>&lt;XX&gt;</c> (two hex digits) is the raw byte XX: how a
    /// test writes a body that is not valid UTF-8.
    /// </summary>
    protected static byte[] Bytes(string text)
    {
        var bytes = new List<byte>(text.Length);
        var at = 0;
        while (at < text.Length)
        {
            if (text[at] == '<' && at + 3 < text.Length && text[at + 3] == '>'
                && byte.TryParse(text.AsSpan(at + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var raw))
            {
                bytes.Add(raw);
                at += 4;
                continue;
            }

            var next = text.IndexOf('<', at + 1);
            var end = next < 0 ? text.Length : next;
            bytes.AddRange(Encoding.UTF8.GetBytes(text[at..end]));
            at = end;
        }

        return [.. bytes];
    }

    protected static async Task<HttpResponseMessage> SendBytesAsync(HttpClient client, HttpMethod method, string url, byte[]? body)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return await client.SendAsync(request, Ct);
    }

    private static async Task<HttpResponseMessage> CollectBytesAsync(RunningServer server, string key, byte[] body, string visitor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/t/collect?k={key}&v={visitor}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        request.Headers.Add("Origin", SiteOrigin);
        request.Headers.UserAgent.ParseAdd(Browser);
        using var anonymous = new HttpClient { BaseAddress = server.Address };
        return await anonymous.SendAsync(request, Ct);
    }

    private static async Task<List<string>> EventIdsAsync(HttpClient client, string contact)
    {
        var timeline = await ShouldSucceedAsync(await client.GetAsync($"/api/v1/contacts/{contact}/events", Ct));
        return [.. timeline.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }
}
