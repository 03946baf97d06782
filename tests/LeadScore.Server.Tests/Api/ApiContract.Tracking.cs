using System.Net;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Tests.Fixtures;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
    private const string SiteOrigin = "https://www.example.com";

    private static async Task<string> CreateSiteAsync(RunningServer server, string eventTypes = "[]")
    {
        var created = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/sites",
            $$"""{"name": "www", "origins": ["{{SiteOrigin}}/"], "eventTypes": {{eventTypes}}}"""), HttpStatusCode.Created);
        created.GetProperty("snippet").GetString()!.ShouldContain("/t.js\" data-site-key=\"pk_");
        return created.GetProperty("site").GetProperty("key").GetString()!;
    }

    private static async Task<HttpResponseMessage> CollectAsync(RunningServer server, string key, string body, string origin = SiteOrigin, string userAgent = Browser, string visitor = "vis1")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/t/collect?k={key}&v={visitor}") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", origin);
        request.Headers.UserAgent.ParseAdd(userAgent);
        using var anonymous = new HttpClient { BaseAddress = server.Address };
        return await anonymous.SendAsync(request, Ct);
    }

    private static string Visit(string type = "page_view", string id = "e1", string visitor = "vis1") => $$$"""
        {"v": "{{{visitor}}}", "s": "s1", "events": [{"id": "{{{id}}}", "type": "{{{type}}}", "at": "{{{DaysAgo(0.01)}}}", "url": "https://www.example.com/pricing?utm_source=ads",
          "title": "Pricing", "referrer": null, "utm": {"source": "ads"}}]}
        """;

    [Fact]
    public async Task Collect_FromAnAllowedOrigin_StoresThePageViewForTheVisitor()
    {
        await using var server = await StartServerAsync();
        var key = await CreateSiteAsync(server);

        using var response = await CollectAsync(server, key, Visit());

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([SiteOrigin]);
        var events = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/v-vis1/events", Ct));
        var stored = events.GetProperty("events").EnumerateArray().Single();
        stored.GetProperty("type").GetString().ShouldBe("page_view");
        stored.GetProperty("properties").GetProperty("path").GetString().ShouldBe("/pricing");
        stored.GetProperty("properties").GetProperty("utm_source").GetString().ShouldBe("ads");
    }

    [Theory]
    [InlineData("https://evil.example.net", Browser, "page_view", HttpStatusCode.Forbidden)]
    [InlineData(SiteOrigin, "Googlebot/2.1 (+http://www.google.com/bot.html)", "page_view", HttpStatusCode.NoContent)]
    [InlineData(SiteOrigin, "Mozilla/5.0 HeadlessChrome/126.0", "page_view", HttpStatusCode.NoContent)]
    [InlineData(SiteOrigin, Browser, "demo_requested", HttpStatusCode.Forbidden)]
    public async Task Collect_WrongOriginBotOrForbiddenType_StoresNothing(string origin, string userAgent, string type, HttpStatusCode status)
    {
        await using var server = await StartServerAsync();
        var key = await CreateSiteAsync(server);

        using var response = await CollectAsync(server, key, Visit(type), origin, userAgent);

        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync(Ct));
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Fact]
    public async Task Collect_OversizedUnknownKeyOrMalformed_AreRefusedAndStoreNothing()
    {
        await using var server = await StartServerAsync();
        var key = await CreateSiteAsync(server);
        var huge = Visit().Replace("\"Pricing\"", $"\"{new string('x', 70_000)}\"", StringComparison.Ordinal);

        using var tooLarge = await CollectAsync(server, key, huge);
        using var unknown = await CollectAsync(server, "pk_0000", Visit());
        using var malformed = await CollectAsync(server, key, "{\"events\": [");

        tooLarge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        unknown.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Fact]
    public async Task Collect_SiteKeyEventTypesAndIdentify_MergeTheVisitorIntoTheContact()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/ann", """{"email": "ann@example.com"}"""), HttpStatusCode.Created);
        var key = await CreateSiteAsync(server, """["pricing_viewed"]""");

        using var first = await CollectAsync(server, key, Visit("pricing_viewed"));
        using var identify = await CollectAsync(server, key, """
            {"v": "vis1", "s": "s1", "events": [{"id": "f1", "type": "form_submit", "properties": {"form": "Contact us"}}],
             "identify": {"email": "ann@example.com", "traits": {"firstName": "Ann"}}}
            """);

        first.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        identify.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var events = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/ann/events", Ct));
        events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).Order().ShouldBe(["form_submit", "pricing_viewed"]);
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/contacts/v-vis1", Ct), HttpStatusCode.NotFound);
        var ann = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/ann", Ct));
        Fields(ann).GetProperty("firstName").GetString().ShouldBe("Ann");
    }

    [Fact]
    public async Task Collect_OneVisitorSendingTooFast_IsRefusedWith429AndOnlyWhatWasAcceptedIsStored()
    {
        await using var server = await StartServerAsync(new Hosting.ServerOptions { TrackingRequestsPerSecondPerVisitor = 1 });
        var key = await CreateSiteAsync(server);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await CollectAsync(server, key, Visit(id: $"e{i}"));
            statuses.Add(response.StatusCode);
        }

        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
        statuses.ShouldAllBe(s => s == HttpStatusCode.NoContent || s == HttpStatusCode.TooManyRequests);
        var events = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/v-vis1/events", Ct));
        events.GetProperty("events").GetArrayLength().ShouldBe(statuses.Count(s => s == HttpStatusCode.NoContent));
    }

    [Fact]
    public async Task Collect_OverTheRateLimit_Answers429WithRetryAfterLikeTheApi()
    {
        await using var server = await StartServerAsync(new Hosting.ServerOptions { TrackingRequestsPerSecondPerVisitor = 1 });
        var key = await CreateSiteAsync(server);

        HttpResponseMessage? refused = null;
        for (var i = 0; i < 10 && refused is null; i++)
        {
            var response = await CollectAsync(server, key, Visit(id: $"e{i}"));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        refused.ShouldNotBeNull();
        var retryAfter = refused.Headers.RetryAfter;
        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.TooManyRequests);
        retryAfter.ShouldNotBeNull().Delta.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        Code(problem).ShouldBe("rate-limited");
        problem.GetProperty("type").GetString().ShouldBe("https://tools.ietf.org/html/rfc6585#section-4");
    }

    [Fact]
    public async Task EmailLinks_OpenAndClick_RecordEventsAndRedirectOnlyWhereSigned()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/ann", """{"email": "ann@example.com"}"""), HttpStatusCode.Created);
        var links = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/tracking/email-links",
            """{"contact": "ann", "campaign": "nov-newsletter", "url": "https://www.example.com/pricing"}"""));
        var open = new Uri(links.GetProperty("openPixel").GetString()!).PathAndQuery;
        var click = new Uri(links.GetProperty("click").GetString()!).PathAndQuery;
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
        anonymous.DefaultRequestHeaders.UserAgent.ParseAdd(Browser);

        using var pixel = await anonymous.GetAsync(open, Ct);
        using var redirect = await anonymous.GetAsync(click, Ct);
        using var proxy = new HttpRequestMessage(HttpMethod.Get, open);
        proxy.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)");
        using var machine = await anonymous.SendAsync(proxy, Ct);
        var forgedToken = open.Replace("/t/o/", "/t/o/x", StringComparison.Ordinal);
        using var forged = await anonymous.GetAsync(forgedToken, Ct);
        using var openAsClick = await anonymous.GetAsync(open.Replace("/t/o/", "/t/c/", StringComparison.Ordinal) + "?u=https://evil.example.net", Ct);
        using var elsewhere = await anonymous.GetAsync(click[..click.IndexOf('?', StringComparison.Ordinal)] + "?u=https://evil.example.net", Ct);

        pixel.StatusCode.ShouldBe(HttpStatusCode.OK);
        pixel.Content.Headers.ContentType!.MediaType.ShouldBe("image/gif");
        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        redirect.Headers.Location!.ToString().ShouldBe("https://www.example.com/pricing");
        forged.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        openAsClick.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var events = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/ann/events", Ct))).GetProperty("events").EnumerateArray().ToList();
        events.Select(e => (e.GetProperty("type").GetString(), e.GetProperty("properties").GetProperty("machine").GetBoolean()))
            .Order().ShouldBe([("email_click", false), ("email_open", false), ("email_open", true)]);
        machine.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("https://www.example.com/a\r\nSet-Cookie: x=1")]
    [InlineData("https://www.example.com/a\nb")]
    [InlineData("https://www.example.com/a\u0000b")]
    [InlineData("https://www.example.com/a\u007fb")]
    public async Task EmailLinks_UrlWithAControlCharacter_IsRefusedWithoutEchoingIt(string url)
    {
        await using var server = await StartServerAsync();
        var body = JsonSerializer.Serialize(new { contact = "ann", campaign = "nov", url });

        var problem = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/tracking/email-links", body), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe("invalid-link");
        Detail(problem).ShouldContain("control character");
        Detail(problem).ShouldNotContain("Set-Cookie");
    }

    [Fact]
    public async Task EmailLinks_ClickOfATokenWhoseLinkHoldsALineBreak_RedirectsToTheEncodedAddressAndRecordsOnce()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/ann", """{"email": "ann@example.com"}"""), HttpStatusCode.Created);
        // A token as the server signed them before links were checked when made.
        var store = (Storage.ILeadStore)server.Services.GetService(typeof(Storage.ILeadStore))!;
        var secret = await store.GetTrackingSecretAsync(Storage.WorkspaceId.Default, Ct);
        var token = Server.Tracking.EmailTokens.Sign(new Server.Tracking.EmailToken("default", "ann", "nov", new Uri("https://www.example.com/a\r\nSet-Cookie: x=1")), secret);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };

        using var click = await anonymous.GetAsync($"/t/c/{token}", Ct);

        click.StatusCode.ShouldBe(HttpStatusCode.Redirect, await click.Content.ReadAsStringAsync(Ct));
        click.Headers.Location!.OriginalString.ShouldBe("https://www.example.com/a%0D%0ASet-Cookie:%20x=1");
        click.Headers.Contains("Set-Cookie").ShouldBeFalse();
        var events = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/ann/events", Ct))).GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("type").GetString()).ShouldBe(["email_click"]);
    }

    [Theory]
    [InlineData("/t/o/")]
    [InlineData("/t/c/")]
    public async Task EmailLinks_TokenNamingAnUnknownWorkspace_IsNotFoundExactlyLikeABadSignature(string endpoint)
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/tracking/email-links", """{"contact": "ann", "campaign": "nov"}"""));
        var link = endpoint == "/t/c/" ? new Uri("https://www.example.com/pricing") : null;
        var unknownWorkspace = Server.Tracking.EmailTokens.Sign(new Server.Tracking.EmailToken("no-such-workspace", "ann", "nov", link), "guessed");
        var badSignature = Server.Tracking.EmailTokens.Sign(new Server.Tracking.EmailToken("default", "ann", "nov", link), "guessed");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };

        var unknown = await ShouldBeProblemAsync(await anonymous.GetAsync(endpoint + unknownWorkspace, Ct), HttpStatusCode.NotFound);
        var forged = await ShouldBeProblemAsync(await anonymous.GetAsync(endpoint + badSignature, Ct), HttpStatusCode.NotFound);

        WithoutTraceId(unknown).ShouldBe(WithoutTraceId(forged));
        Code(unknown).ShouldBe("invalid-token");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    private static string WithoutTraceId(JsonElement problem) =>
        string.Join(",", problem.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value.GetRawText()}"));

    [Fact]
    public async Task Sites_BadOriginOrNoOrigins_AreRefused()
    {
        await using var server = await StartServerAsync();

        var path = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/sites", """{"name": "x", "origins": ["https://www.example.com/landing"]}"""), HttpStatusCode.BadRequest);
        var none = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/sites", """{"name": "x", "origins": []}"""), HttpStatusCode.BadRequest);

        Code(path).ShouldBe("invalid-origin");
        Detail(none).ShouldContain("at least one origin");
    }
}
