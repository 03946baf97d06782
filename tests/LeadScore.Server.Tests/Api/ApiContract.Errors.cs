using System.Net;
using System.Text;
using LeadScore.Server.Hosting;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    [Theory]
    [InlineData("/api/v1/contacts")]
    [InlineData("/api/v1/contacts/batch")]
    [InlineData("/api/v1/events")]
    [InlineData("/api/v1/models")]
    [InlineData("/api/v1/keys")]
    public async Task MalformedJson_Returns400NamingLineAndPositionAndStoresNothing(string url)
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(await PostAsync(server.Client, url, "{\n  \"id\": \"c1\",\n  \"jobTitle\": }"), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe("malformed-json");
        Detail(problem).ShouldContain("line 3");
        Detail(problem).ShouldContain("position");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"model": "test-model", "category": "fit", "points": "five", "reason": "x"}""", "points")]
    [InlineData("""{"model": "test-model", "category": "fit", "points": 5, "reason": "x", "bonus": true}""", "bonus")]
    [InlineData("""{"model": "test-model", "category": "fit", "points": 5}""", "reason")]
    public async Task Adjustment_WrongTypeUnknownOrMissingProperty_Returns400NamingItAndChangesNothing(string body, string named)
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts", """{"id": "c1"}"""), HttpStatusCode.Created);
        await PublishAsync(server.Client);

        var problem = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/contacts/c1/adjustments", body), HttpStatusCode.BadRequest);

        Detail(problem).ShouldContain(named);
        var history = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/c1/history", Ct));
        history.GetProperty("entries").EnumerateArray().ShouldAllBe(e => e.GetProperty("cause").GetString() == "publish");
    }

    [Theory]
    [InlineData("""{"scope": "admin", "colour": "red"}""", "colour")]
    [InlineData("""{"scope": 7}""", "scope")]
    [InlineData("""{"scope": "owner"}""", "scope")]
    [InlineData("""{"name": "no scope"}""", "scope")]
    public async Task CreateKey_BadBody_Returns400NamingThePropertyAndCreatesNoKey(string body, string named)
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/keys", body), HttpStatusCode.BadRequest);

        Detail(problem).ShouldContain(named);
        var keys = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/keys", Ct));
        keys.GetProperty("keys").GetArrayLength().ShouldBe(1);
    }

    [Theory]
    [InlineData("/api/v1/contacts")]
    [InlineData("/api/v1/events/batch")]
    [InlineData("/api/v1/keys")]
    public async Task WrongContentType_Returns415AndStoresNothing(string url)
    {
        await using var server = await StartServerAsync();

        using var content = new StringContent("""{"id": "c1", "scope": "read"}""", Encoding.UTF8, "text/plain");
        var problem = await ShouldBeProblemAsync(await server.Client.PostAsync(url, content, Ct), HttpStatusCode.UnsupportedMediaType);

        Detail(problem).ShouldContain("application/json");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/keys", Ct))).GetProperty("keys").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task BodyOverTheSingleObjectLimit_Returns413AndStoresNothing()
    {
        await using var server = await StartServerAsync(new ServerOptions { MaxSingleBodyBytes = 1_000 });
        var large = $$"""{"id": "c1", "notes": "{{new string('x', 2_000)}}"}""";

        var problem = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/contacts", large), HttpStatusCode.RequestEntityTooLarge);
        var batch = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts/batch", "[" + large + "]"));

        Detail(problem).ShouldContain("1,000 bytes");
        batch.GetProperty("written").GetInt32().ShouldBe(1);
        await ShouldBeProblemAsync(await PutAsync(server.Client, "/api/v1/contacts/c2", large.Replace("c1", "c2", StringComparison.Ordinal)), HttpStatusCode.RequestEntityTooLarge);
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/contacts/c2", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BodyOverTheSingleObjectLimitWithoutContentLength_Returns413AndStoresNothing()
    {
        await using var server = await StartServerAsync(new ServerOptions { MaxSingleBodyBytes = 1_000 });
        var large = Encoding.UTF8.GetBytes($$"""{"id": "c1", "notes": "{{new string('x', 2_000)}}"}""");

        using var content = new StreamContent(new UnknownLengthStream(large));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var problem = await ShouldBeProblemAsync(await server.Client.PostAsync("/api/v1/contacts", content, Ct), HttpStatusCode.RequestEntityTooLarge);

        Code(problem).ShouldBe("too-large");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing")]
    [InlineData("GET", "/nothing")]
    [InlineData("POST", "/api/v1/contacts/c1/nothing")]
    public async Task UnknownRoute_Returns404Problem(string method, string url)
    {
        await using var server = await StartServerAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        var problem = await ShouldBeProblemAsync(await server.Client.SendAsync(request, Ct), HttpStatusCode.NotFound);

        Code(problem).ShouldBe("no-endpoint");
    }

    [Fact]
    public async Task WrongMethod_Returns405Problem()
    {
        await using var server = await StartServerAsync();

        await ShouldBeProblemAsync(await server.Client.DeleteAsync("/api/v1/contacts", Ct), HttpStatusCode.MethodNotAllowed);
    }

    [Theory]
    [InlineData("/api/v1/contacts?limit=abc", "limit")]
    [InlineData("/api/v1/contacts?limit=0", "limit")]
    [InlineData("/api/v1/contacts?limit=5000", "limit")]
    [InlineData("/api/v1/deals?cursor=garbage", "cursor")]
    [InlineData("/api/v1/contacts/c1/history?at=yesterday", "at")]
    [InlineData("/api/v1/leads?segment=two", "segment")]
    [InlineData("/api/v1/jobs/abc", "")]
    public async Task BadQueryValue_Returns400NamingTheParameter(string url, string named)
    {
        await using var server = await StartServerAsync();

        using var response = await server.Client.GetAsync(url, Ct);
        var expected = named.Length == 0 ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest;
        var problem = await ShouldBeProblemAsync(response, expected);

        Detail(problem).ShouldContain(named);
    }

    [Fact]
    public async Task StrictFlagNotABoolean_Returns400AndStoresNothing()
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(
            await PostAsync(server.Client, "/api/v1/events/batch?strict=maybe", $$"""[{"id": "e1", "contact": "c1", "type": "email_open", "occurredAt": "{{DaysAgo(1)}}"}]"""),
            HttpStatusCode.BadRequest);

        Detail(problem).ShouldContain("strict");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    /// <summary>A body whose length the client cannot know, so it is sent chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
