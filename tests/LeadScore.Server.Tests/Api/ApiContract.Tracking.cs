using System.Net;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Tests.Fixtures;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
    private const string SiteOrigin = "https://www.example.com";

    private static async Task<string> CreateSiteAsync(RunningServer server, string eventTypes = "[]", string identify = "null")
    {
        var created = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/sites",
            $$"""{"name": "www", "origins": ["{{SiteOrigin}}/"], "eventTypes": {{eventTypes}}, "identify": {{identify}}}"""), HttpStatusCode.Created);
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
    public async Task Collect_MergeSiteKeyEventTypesAndIdentify_MergeTheVisitorIntoTheContact()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/ann", """{"email": "ann@example.com"}"""), HttpStatusCode.Created);
        var key = await CreateSiteAsync(server, """["pricing_viewed"]""", """{"claims": "merge"}""");

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
    [InlineData("https://www.example.com/a\r\nSet-Cookie: x=1", "invalid-link")]
    [InlineData("https://www.example.com/a\nb", "invalid-link")]
    [InlineData("https://www.example.com/a\u007fb", "invalid-link")]
    [InlineData("https://www.example.com/a\u0000b", "invalid-text")] // no text anywhere may hold a NUL: the body is refused before the link is read
    public async Task EmailLinks_UrlWithAControlCharacter_IsRefusedWithoutEchoingIt(string url, string code)
    {
        await using var server = await StartServerAsync();
        var body = JsonSerializer.Serialize(new { contact = "ann", campaign = "nov", url });

        var problem = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/tracking/email-links", body), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe(code);
        Detail(problem).ShouldContain(code == "invalid-link" ? "control character" : "NUL");
        Detail(problem).ShouldNotContain("Set-Cookie");
    }

    [Fact]
    public async Task EmailLinks_ClickOfATokenWhoseLinkHoldsALineBreak_RedirectsToTheEncodedAddressAndRecordsOnce()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/ann", """{"email": "ann@example.com"}"""), HttpStatusCode.Created);
        // A token as the server signed them before links were checked when made.
        var store = (Storage.ILeadStore)server.Services.GetService(typeof(Storage.ILeadStore))!;
        var secret = await store.Tracking.GetTrackingSecretAsync(Storage.WorkspaceId.Default, Ct);
        var token = Server.Features.Tracking.EmailTokens.Sign(new Server.Features.Tracking.EmailToken("default", "ann", "nov", new Uri("https://www.example.com/a\r\nSet-Cookie: x=1")), secret);
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
        var unknownWorkspace = Server.Features.Tracking.EmailTokens.Sign(new Server.Features.Tracking.EmailToken("no-such-workspace", "ann", "nov", link), "guessed");
        var badSignature = Server.Features.Tracking.EmailTokens.Sign(new Server.Features.Tracking.EmailToken("default", "ann", "nov", link), "guessed");
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

    [Fact]
    public async Task Collect_TheProbesTakeover_IsHeldAsAClaimAndTheContactItsScoreAndOwnerStayAsTheCrmSetThem()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/p1",
            """{"email": "p1@wa.example", "jobTitle": "Analyst", "employees": 120, "owner": "maria", "lifecycleStage": "lead"}"""), HttpStatusCode.Created);
        var before = await ScoreOfAsync(server.Client, "p1");
        var key = await CreateSiteAsync(server);

        using var attack = await CollectAsync(server, key, """
            {"v":"attacker1","events":[{"id":"pv1","type":"page_view"}],"identify":{"email":"P1@WA.EXAMPLE",
             "traits":{"jobTitle":"CEO","employees":50000,"owner":"attacker","lifecycleStage":"customer","tag.sales-ready":true,"companyId":"evilco"}}}
            """, visitor: "attacker1");
        using var later = await CollectAsync(server, key, Visit(id: "pv2", visitor: "attacker1"), visitor: "attacker1");

        attack.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        later.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var p1 = Fields(await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/p1", Ct)));
        (p1.GetProperty("jobTitle").GetString(), p1.GetProperty("employees").GetDouble(), p1.GetProperty("owner").GetString(), p1.GetProperty("lifecycleStage").GetString())
            .ShouldBe(("Analyst", 120, "maria", "lead"));
        p1.TryGetProperty("tag.sales-ready", out _).ShouldBeFalse();
        p1.TryGetProperty("companyId", out _).ShouldBeFalse();
        (await ScoreOfAsync(server.Client, "p1")).GetProperty("score").GetInt32().ShouldBe(before.GetProperty("score").GetInt32());
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/p1/events", Ct))).GetProperty("events").GetArrayLength().ShouldBe(0);
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/v-attacker1/events", Ct))).GetProperty("events").GetArrayLength().ShouldBe(2);
        var claim = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/tracking/claims", Ct))).GetProperty("claims").EnumerateArray().ShouldHaveSingleItem();
        (claim.GetProperty("visitor").GetString(), claim.GetProperty("contact").GetString(), claim.GetProperty("email").GetString()).ShouldBe(("attacker1", "p1", "p1@wa.example"));
        claim.GetProperty("traits").GetArrayLength().ShouldBe(0, "none of the traits sent are ones the site key lets visitors fill");
    }

    [Fact]
    public async Task TrackingClaims_ConfirmedByTheApi_JoinTheContactAndRejectedOnesStayApart()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/ann", """{"email": "ann@example.com"}"""), HttpStatusCode.Created);
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/bob", """{"email": "bob@example.com"}"""), HttpStatusCode.Created);
        var key = await CreateSiteAsync(server);
        var identify = (string visitor, string email) => $$"""{"v": "{{visitor}}", "events": [{"id": "f1", "type": "form_submit"}], "identify": {"email": "{{email}}", "traits": {"firstName": "Ann"} } }""";
        using var ann = await CollectAsync(server, key, identify("vis-ann", "ann@example.com"), visitor: "vis-ann");
        using var bob = await CollectAsync(server, key, identify("vis-bob", "bob@example.com"), visitor: "vis-bob");

        var confirmed = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/tracking/claims/vis-ann/confirm", ""));
        using var rejected = await server.Client.DeleteAsync("/api/v1/tracking/claims/vis-bob", Ct);
        var unknown = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/tracking/claims/vis-bob/confirm", ""), HttpStatusCode.NotFound);

        (confirmed.GetProperty("contact").GetString(), confirmed.GetProperty("merged").GetBoolean()).ShouldBe(("ann", true));
        rejected.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        Code(unknown).ShouldBe("unknown-claim");
        Fields(await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/ann", Ct))).GetProperty("firstName").GetString().ShouldBe("Ann");
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/ann/events", Ct))).GetProperty("events").GetArrayLength().ShouldBe(1);
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/bob/events", Ct))).GetProperty("events").GetArrayLength().ShouldBe(0);
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/v-vis-bob/events", Ct))).GetProperty("events").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task EmailClick_ToTheSite_CarriesAProofThatLinksTheBrowserToTheContact_AndAForgedProofDoesNot()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/ann", """{"email": "ann@example.com"}"""), HttpStatusCode.Created);
        var key = await CreateSiteAsync(server);
        var links = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/tracking/email-links",
            """{"contact": "ann", "campaign": "nov", "url": "https://www.example.com/pricing?plan=pro"}"""));
        var elsewhere = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/tracking/email-links",
            """{"contact": "ann", "campaign": "nov", "url": "https://partner.example.org/event"}"""));
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };

        using var click = await anonymous.GetAsync(new Uri(links.GetProperty("click").GetString()!).PathAndQuery, Ct);
        using var partner = await anonymous.GetAsync(new Uri(elsewhere.GetProperty("click").GetString()!).PathAndQuery, Ct);
        var landing = click.Headers.Location!;
        var proof = System.Web.HttpUtility.ParseQueryString(landing.Query)["ls_c"]!;
        var tampered = proof[..^4] + (proof.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var forged = await CollectAsync(server, key, $$"""{"v": "vis-x", "c": "{{tampered}}", "events": [{"id": "p1", "type": "page_view"}]}""", visitor: "vis-x");
        using var proven = await CollectAsync(server, key, $$"""{"v": "vis-ann", "c": "{{proof}}", "events": [{"id": "p1", "type": "page_view"}]}""", visitor: "vis-ann");
        using var next = await CollectAsync(server, key, Visit(id: "p2", visitor: "vis-ann"), visitor: "vis-ann");

        landing.GetLeftPart(UriPartial.Path).ShouldBe("https://www.example.com/pricing");
        System.Web.HttpUtility.ParseQueryString(landing.Query)["plan"].ShouldBe("pro");
        partner.Headers.Location!.ToString().ShouldBe("https://partner.example.org/event", "a link off the site is left as it was made");
        (forged.StatusCode, proven.StatusCode, next.StatusCode).ShouldBe((HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent));
        var annEvents = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/ann/events", Ct))).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("type").GetString()).Order().ToList();
        annEvents.ShouldBe(["email_click", "email_click", "page_view", "page_view"]);
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/v-vis-x/events", Ct))).GetProperty("events").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Erase_AContactWithABrowser_TheBrowsersNextVisitStoresNothingAndRecreatesNobody()
    {
        await using var server = await StartServerAsync();
        var key = await CreateSiteAsync(server);
        using var first = await CollectAsync(server, key, """
            {"v": "vis-gone", "events": [{"id": "g1", "type": "form_submit"}], "identify": {"email": "gone@example.com", "traits": {"firstName": "Gone"}}}
            """, visitor: "vis-gone");
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/v-vis-gone", Ct))).ValueKind.ShouldBe(JsonValueKind.Object);

        using var erase = await server.Client.PostAsync("/api/v1/contacts/v-vis-gone/erase", null, Ct);
        using var back = await CollectAsync(server, key, Visit(id: "g2", visitor: "vis-gone"), visitor: "vis-gone");

        erase.IsSuccessStatusCode.ShouldBeTrue();
        back.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/contacts/v-vis-gone", Ct), HttpStatusCode.NotFound);
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"traits": ["firstName", "owner"]}""")]
    [InlineData("""{"traits": ["tag.vip"]}""")]
    [InlineData("""{"claims": "always"}""")]
    public async Task Sites_IdentifyThatWouldLetVisitorsRouteLeads_IsRefused(string identify)
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/sites",
            $$"""{"name": "x", "origins": ["https://www.example.com"], "identify": {{identify}}}"""), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe("invalid-identify");
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/sites", Ct))).GetProperty("sites").GetArrayLength().ShouldBe(0);
    }
}
