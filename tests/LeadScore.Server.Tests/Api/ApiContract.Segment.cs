using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Tests;

namespace LeadScore.Server.Tests.Api;

/// <summary>
/// The Segment-compatible endpoints (issue 28) as the vendors' real clients and webhook destinations
/// use them: the npm SDKs of Segment and RudderStack (tests/tools/cdp-send.mjs) point their host here.
/// </summary>
public abstract partial class ApiContract
{
    private const string SegmentModel = """
        {
          "key": "cdp", "name": "CDP model", "target": "contact", "scale": 100,
          "categories": [
            {"key": "fit", "dimension": "fit", "budget": 50},
            {"key": "engagement", "dimension": "engagement", "budget": 50}],
          "rules": [
            {"key": "cto", "category": "fit", "points": 30, "when": {"field": "jobTitle", "eq": "CTO"}},
            {"key": "demo", "category": "engagement", "points": 40, "event": {"type": "demo_requested"}},
            {"key": "pricing", "category": "engagement", "points": 10, "event": {"type": "page_view", "where": {"field": "name", "eq": "Pricing"}}}],
          "thresholds": [{"key": "mql", "points": 50}]
        }
        """;

    [Theory]
    [InlineData("segment")]
    [InlineData("rudderstack")]
    public async Task Segment_RealClient_StoresContactCompanyLinkEventsAndScores(string client)
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client, SegmentModel, "cdp");
        var writeKey = await CreateSourceAsync(server);
        var messages = $$$"""
            [
              {"type": "page", "anonymousId": "anon-1", "name": "Pricing", "properties": {"url": "https://example.com/pricing"}, "messageId": "{{{client}}}-p1", "timestamp": "{{{DaysAgo(2)}}}",
               "context": {"campaign": {"source": "google", "medium": "cpc"} } },
              {"type": "identify", "userId": "u-{{{client}}}", "anonymousId": "anon-1",
               "traits": {"email": "ada@example.com", "title": "CTO", "company": {"name": "Acme"}, "address": {"country": "DE"}, "favouriteColour": "teal"},
               "messageId": "{{{client}}}-i1", "timestamp": "{{{DaysAgo(1)}}}"},
              {"type": "group", "userId": "u-{{{client}}}", "groupId": "acme", "traits": {"name": "Acme", "employees": 250, "website": "https://www.acme.io"}, "messageId": "{{{client}}}-g1", "timestamp": "{{{DaysAgo(1)}}}"},
              {"type": "track", "userId": "u-{{{client}}}", "event": "Demo Requested", "properties": {"seats": 12}, "messageId": "{{{client}}}-t1", "timestamp": "{{{DaysAgo(0.5)}}}"}
            ]
            """;

        var sent = await SendWithClientAsync(client, server.Address, writeKey, messages);
        sent.ExitCode.ShouldBe(0, sent.Output);

        var contact = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/contacts/u-{client}", Ct));
        var fields = contact.GetProperty("fields");
        fields.GetProperty("jobTitle").GetString().ShouldBe("CTO");
        fields.GetProperty("country").GetString().ShouldBe("DE");
        fields.GetProperty("company").GetString().ShouldBe("Acme");
        fields.GetProperty("favouriteColour").GetString().ShouldBe("teal");
        contact.GetProperty("companyId").GetString().ShouldBe("acme");

        var company = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/companies/acme", Ct));
        company.GetProperty("fields").GetProperty("employees").GetDouble().ShouldBe(250);
        company.GetProperty("fields").GetProperty("domain").GetString().ShouldBe("acme.io");

        // The anonymous page view came before the identify: it now belongs to the user, with its campaign.
        var events = (await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/contacts/u-{client}/events", Ct))).GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("type").GetString()).ShouldBe(["page_view", "demo_requested"]);
        events[0].GetProperty("properties").GetProperty("utm_source").GetString().ShouldBe("google");
        (await server.Client.GetAsync("/api/v1/contacts/v-anon-1", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // CTO 30 + demo 40 + pricing page 10.
        var score = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/contacts/u-{client}/scores", Ct));
        score.GetProperty("scores")[0].GetProperty("points").GetDouble().ShouldBe(80);
    }

    [Fact]
    public async Task Segment_SameBatchTwice_CountsOnce_AndAnOldIdentifyResentDoesNotUndoANewerOne()
    {
        await using var server = await StartServerAsync();
        var writeKey = await CreateSourceAsync(server);
        using var source = SourceClient(server, writeKey);
        var first = """{"batch": [{"type": "identify", "userId": "u1", "traits": {"plan": "trial"}, "messageId": "i-old"}, {"type": "track", "userId": "u1", "event": "Signed Up", "messageId": "t1"}]}""";
        await ShouldSucceedAsync(await PostAsync(source, "/v1/batch", first));
        await ShouldSucceedAsync(await PostAsync(source, "/v1/batch", """{"batch": [{"type": "identify", "userId": "u1", "traits": {"plan": "paid"}, "messageId": "i-new"}]}"""));
        // The client timed out on the first batch and sends it again.
        (await ShouldSucceedAsync(await PostAsync(source, "/v1/batch", first))).GetProperty("success").GetBoolean().ShouldBeTrue();

        var contact = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/u1", Ct));
        contact.GetProperty("fields").GetProperty("plan").GetString().ShouldBe("paid");
        var events = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/u1/events", Ct));
        events.GetProperty("events").GetArrayLength().ShouldBe(1);
        events.GetProperty("events")[0].GetProperty("type").GetString().ShouldBe("signed_up");
    }

    [Fact]
    public async Task Segment_Keys_BadOneIs401_ReadOneIs403_WriteKeyInBodyWorks_SourceKeyCannotReadTheApi()
    {
        await using var server = await StartServerAsync();
        var writeKey = await CreateSourceAsync(server);
        const string track = """{"userId": "u1", "event": "Signed Up"}""";

        using (var stranger = server.ClientWith(null))
        {
            var noKey = await ShouldBeProblemAsync(await PostAsync(stranger, "/v1/track", track), HttpStatusCode.Unauthorized);
            Detail(noKey).ShouldContain("write key");
            stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("lsk_nope_nope:")));
            await ShouldBeProblemAsync(await PostAsync(stranger, "/v1/track", track), HttpStatusCode.Unauthorized);
        }

        using (var reader = server.ClientWith(await server.CreateKeyAsync(Storage.Records.ApiKeyScope.Read, Ct)))
        {
            await ShouldBeProblemAsync(await PostAsync(reader, "/v1/track", track), HttpStatusCode.Forbidden);
        }

        using (var anonymous = server.ClientWith(null))
        {
            await ShouldSucceedAsync(await PostAsync(anonymous, "/v1/track", $$"""{"writeKey": "{{writeKey}}", "userId": "u1", "event": "Signed Up"}"""));
        }

        using var source = SourceClient(server, writeKey);
        await ShouldBeProblemAsync(await source.GetAsync("/api/v1/contacts/u1", Ct), HttpStatusCode.Forbidden);
        await ShouldBeProblemAsync(await PostAsync(source, "/api/v1/events", $$"""{"id": "e1", "contact": "u1", "type": "x", "occurredAt": "{{DaysAgo(1)}}"}"""), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Segment_BadItemsAreNamed_TheOthersStored_OversizedIs413AndStoresNothing_GzipIsRead()
    {
        await using var server = await StartServerAsync();
        var writeKey = await CreateSourceAsync(server);
        using var source = SourceClient(server, writeKey);
        var big = new string('x', 33 * 1024);
        var batch = $$"""
            {"batch": [
              {"type": "track", "userId": "u1", "event": "Signed Up", "messageId": "ok-1"},
              {"type": "track", "userId": "u1", "messageId": "no-name"},
              {"type": "teleport", "userId": "u1", "messageId": "bad-type"},
              {"type": "track", "event": "Orphan", "messageId": "nobody"},
              {"type": "track", "userId": "u1", "event": "Big", "properties": {"blob": "{{big}}"}, "messageId": "big"},
              {"type": "track", "userId": "u1", "event": "Later", "timestamp": "{{DateTimeOffset.UtcNow.AddDays(3):O}}", "messageId": "future"},
              {"type": "page", "userId": "u1", "name": "Home", "messageId": "ok-2"}
            ]}
            """;
        var problem = await ShouldBeProblemAsync(await PostAsync(source, "/v1/batch", batch), HttpStatusCode.BadRequest);
        var refused = problem.GetProperty("refused").EnumerateArray().ToDictionary(r => r.GetProperty("messageId").GetString()!, r => r.GetProperty("reason").GetString()!);
        refused.Keys.ShouldBe(["no-name", "bad-type", "nobody", "big", "future"], ignoreOrder: true);
        refused["big"].ShouldContain("32,768");
        refused["future"].ShouldContain("hours");
        problem.GetProperty("accepted").GetInt32().ShouldBe(2);
        var events = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/u1/events", Ct));
        events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ShouldBe(["ok-1", "ok-2"], ignoreOrder: true);

        // A single message over 32 KB, and a batch over 500 KB: 413, nothing stored.
        await ShouldBeProblemAsync(await PostAsync(source, "/v1/track", $$$"""{"userId": "u2", "event": "Big", "properties": {"blob": "{{{big}}}"}}"""), HttpStatusCode.RequestEntityTooLarge);
        var many = string.Join(",", Enumerable.Range(0, 40).Select(i => $$$"""{"type": "track", "userId": "u2", "event": "Big", "messageId": "m{{{i}}}", "properties": {"blob": "{{{new string('y', 15_000)}}}"}}"""));
        await ShouldBeProblemAsync(await PostAsync(source, "/v1/batch", $$"""{"batch": [{{many}}]}"""), HttpStatusCode.RequestEntityTooLarge);
        (await server.Client.GetAsync("/api/v1/contacts/u2", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // RudderStack's way: gzip labelled as a form.
        using var gzip = new ByteArrayContent(Gzip("""{"batch": [{"type": "track", "userId": "u3", "event": "Trial Started", "messageId": "gz"}]}"""));
        gzip.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        gzip.Headers.ContentEncoding.Add("gzip");
        await ShouldSucceedAsync(await source.PostAsync("/v1/batch", gzip, Ct));
        var trial = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/u3/events", Ct));
        trial.GetProperty("events")[0].GetProperty("type").GetString().ShouldBe("free_trial_started");

        // A gzip bomb (2 MB of spaces in a few KB) is refused by its decompressed size.
        using var bomb = new ByteArrayContent(Gzip("{\"batch\": [" + new string(' ', 2 * 1024 * 1024) + "]}"));
        bomb.Headers.ContentEncoding.Add("gzip");
        await ShouldBeProblemAsync(await source.PostAsync("/v1/batch", bomb, Ct), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Segment's Webhooks destination signs with HMAC-SHA1; the test signs as it does.")]
    public async Task Segment_WebhookModes_RightSignatureOrTokenStores_WrongOneStoresNothing()
    {
        await using var server = await StartServerAsync();
        var created = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/sources", """{"name": "segment-cloud"}"""), HttpStatusCode.Created);
        var writeKey = created.GetProperty("writeKey").GetString()!;
        var id = created.GetProperty("source").GetProperty("id").GetString()!;
        var secret = created.GetProperty("source").GetProperty("sharedSecret").GetString()!;
        using var anonymous = server.ClientWith(null);

        var body = """[{"type": "track", "userId": "w1", "event": "Demo Requested", "messageId": "wh-1"}, {"type": "identify", "userId": "w1", "traits": {"email": "w1@example.com"}, "messageId": "wh-2"}]""";
        var signature = Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
        var wrong = Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes("not-the-secret"), Encoding.UTF8.GetBytes(body)));

        var refused = await ShouldBeProblemAsync(await SignedAsync(anonymous, $"/v1/webhooks/segment?source={id}", body, wrong), HttpStatusCode.Unauthorized);
        Code(refused).ShouldBe("bad-signature");
        await ShouldBeProblemAsync(await SignedAsync(anonymous, $"/v1/webhooks/segment?source={id}", body, null), HttpStatusCode.Unauthorized);
        await ShouldBeProblemAsync(await SignedAsync(anonymous, "/v1/webhooks/segment?source=src_unknown", body, signature), HttpStatusCode.Unauthorized);
        (await server.Client.GetAsync("/api/v1/contacts/w1", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await ShouldSucceedAsync(await SignedAsync(anonymous, $"/v1/webhooks/segment?source={id}", body, signature));
        var contact = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/w1", Ct));
        contact.GetProperty("fields").GetProperty("email").GetString().ShouldBe("w1@example.com");

        // RudderStack's Webhook destination: one message as it was, the write key in a header it was configured with.
        const string one = """{"type": "track", "userId": "r1", "event": "Webinar Attended", "messageId": "rs-1"}""";
        await ShouldBeProblemAsync(await PostAsync(anonymous, "/v1/webhooks/rudderstack", one), HttpStatusCode.Unauthorized);
        using (var forged = server.ClientWith("lsk_forged_key"))
        {
            await ShouldBeProblemAsync(await PostAsync(forged, "/v1/webhooks/rudderstack", one), HttpStatusCode.Unauthorized);
        }

        (await server.Client.GetAsync("/api/v1/contacts/r1", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var rudder = server.ClientWith(writeKey);
        await ShouldSucceedAsync(await PostAsync(rudder, "/v1/webhooks/rudderstack", one));
        var events = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/r1/events", Ct));
        events.GetProperty("events")[0].GetProperty("type").GetString().ShouldBe("webinar_attended");

        // A revoked source stops at once.
        (await server.Client.DeleteAsync($"/api/v1/sources/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await ShouldBeProblemAsync(await PostAsync(rudder, "/v1/webhooks/rudderstack", one), HttpStatusCode.Unauthorized);
        await ShouldBeProblemAsync(await SignedAsync(anonymous, $"/v1/webhooks/segment?source={id}", body, signature), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Segment_EventMapping_RenamesAndIgnoresNames_IsVersioned_AndTheNamesSeenShowWhatEachBecomes()
    {
        await using var server = await StartServerAsync();
        var writeKey = await CreateSourceAsync(server);
        using var source = SourceClient(server, writeKey);

        var bad = await ShouldBeProblemAsync(await PutAsync(server.Client, "/api/v1/sources/event-mapping", """{"events": {"Demo Booked": "Demo Requested", "": "x"}}"""), HttpStatusCode.BadRequest);
        bad.GetProperty("problems").GetArrayLength().ShouldBe(2);
        var saved = await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/sources/event-mapping", """{"events": {"Demo Booked": "demo_requested", "Heartbeat": null}}"""));
        saved.GetProperty("version").GetInt32().ShouldBe(1);

        await ShouldSucceedAsync(await PostAsync(source, "/v1/batch", """
            {"batch": [
              {"type": "track", "userId": "u1", "event": "demo booked", "messageId": "a"},
              {"type": "track", "userId": "u1", "event": "Heartbeat", "messageId": "b"},
              {"type": "track", "userId": "u1", "event": "Pricing Viewed", "messageId": "c"},
              {"type": "track", "userId": "u1", "event": "Email Opened", "messageId": "d"}
            ]}
            """));
        var types = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/u1/events", Ct))).GetProperty("events")
            .EnumerateArray().Select(e => e.GetProperty("type").GetString()).Order().ToList();
        types.ShouldBe(["demo_requested", "email_open", "pricing_viewed"]);

        var names = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/sources/event-names", Ct))).GetProperty("names").EnumerateArray()
            .ToDictionary(n => n.GetProperty("name").GetString()!, n => (Type: n.TryGetProperty("type", out var type) ? type.GetString() : null, By: n.GetProperty("mappedBy").GetString()));
        names["demo booked"].ShouldBe(("demo_requested", "workspace"));
        names["Heartbeat"].ShouldBe((null, "ignored"));
        names["Pricing Viewed"].ShouldBe(("pricing_viewed", "default"));
        names["Email Opened"].ShouldBe(("email_open", "built-in"));

        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/sources/event-mapping", """{"events": {}}"""));
        var versions = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/sources/event-mapping/versions", Ct));
        versions.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ShouldBe([2, 1]);
    }

    [Fact]
    public async Task Segment_AliasMergesThePreviousIdIntoTheUser_WithItsEventsAndMissingFields()
    {
        await using var server = await StartServerAsync();
        var writeKey = await CreateSourceAsync(server);
        using var source = SourceClient(server, writeKey);
        await ShouldSucceedAsync(await PostAsync(source, "/v1/batch", """
            {"batch": [
              {"type": "identify", "userId": "old-id", "traits": {"email": "kim@example.com", "title": "VP"}, "messageId": "1"},
              {"type": "track", "userId": "old-id", "event": "Demo Requested", "messageId": "2"},
              {"type": "track", "anonymousId": "browser-7", "event": "Pricing Viewed", "messageId": "3"}
            ]}
            """));
        await ShouldSucceedAsync(await PostAsync(source, "/v1/alias", """{"previousId": "old-id", "userId": "new-id", "messageId": "4"}"""));
        await ShouldSucceedAsync(await PostAsync(source, "/v1/alias", """{"previousId": "browser-7", "userId": "new-id", "messageId": "5"}"""));

        (await server.Client.GetAsync("/api/v1/contacts/old-id", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var contact = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/new-id", Ct));
        contact.GetProperty("fields").GetProperty("jobTitle").GetString().ShouldBe("VP");
        var events = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/new-id/events", Ct))).GetProperty("events");
        events.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ShouldBe(["2", "3"], ignoreOrder: true);
    }

    [Fact]
    public async Task Segment_ConcurrentBatchesOnTheSameContacts_AllStored_NoneFails()
    {
        // The SDKs send several batches at once; on PostgreSQL two transactions upserting the same
        // contacts in opposite orders would deadlock if records were not written in id order.
        await using var server = await StartServerAsync();
        var writeKey = await CreateSourceAsync(server);
        using var source = SourceClient(server, writeKey);
        var people = Enumerable.Range(0, 6).Select(i => $"p{i}").ToList();
        var sends = Enumerable.Range(0, 12).Select(async n =>
        {
            var order = n % 2 == 0 ? people : [.. Enumerable.Reverse(people)];
            var messages = order.SelectMany(p => new[]
            {
                $$"""{"type": "identify", "userId": "{{p}}", "traits": {"batch{{n}}": true}, "messageId": "i-{{n}}-{{p}}"}""",
                $$"""{"type": "group", "userId": "{{p}}", "groupId": "g{{n % 3}}", "messageId": "g-{{n}}-{{p}}"}""",
                $$"""{"type": "track", "userId": "{{p}}", "event": "Demo Requested", "messageId": "t-{{n}}-{{p}}"}""",
            });
            using var response = await PostAsync(source, "/v1/batch", $$"""{"batch": [{{string.Join(",", messages)}}]}""");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
        });

        foreach (var (status, body) in await Task.WhenAll(sends))
        {
            status.ShouldBe(HttpStatusCode.OK, body);
        }

        foreach (var person in people)
        {
            var events = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/contacts/{person}/events", Ct));
            events.GetProperty("events").GetArrayLength().ShouldBe(12);
            var contact = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/contacts/{person}", Ct));
            contact.GetProperty("fields").EnumerateObject().Count(f => f.Name.StartsWith("batch", StringComparison.Ordinal)).ShouldBe(12);
        }
    }

    [Fact]
    public async Task Segment_ContextGroupId_LinksAContactWithoutCompany_NeverMovesOne()
    {
        await using var server = await StartServerAsync();
        using var source = SourceClient(server, await CreateSourceAsync(server));
        await ShouldSucceedAsync(await PostAsync(source, "/v1/batch", """
            {"batch": [
              {"type": "track", "userId": "free", "event": "Signed In", "context": {"groupId": "acme"}, "messageId": "1"},
              {"type": "group", "userId": "taken", "groupId": "globex", "messageId": "2"},
              {"type": "track", "userId": "taken", "event": "Signed In", "context": {"groupId": "acme"}, "messageId": "3"}
            ]}
            """));
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/free", Ct))).GetProperty("companyId").GetString().ShouldBe("acme");
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/taken", Ct))).GetProperty("companyId").GetString().ShouldBe("globex");
        await ShouldSucceedAsync(await PostAsync(source, "/v1/track", """{"userId": "taken", "event": "Signed In", "context": {"groupId": "initech"}, "messageId": "4"}"""));
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/taken", Ct))).GetProperty("companyId").GetString().ShouldBe("globex");
    }

    [Fact]
    public async Task Segment_BytesThatAreNotUtf8_RefuseTheirMessageAlone_NeverA500()
    {
        await using var server = await StartServerAsync();
        using var source = SourceClient(server, await CreateSourceAsync(server));
        // Message 0 names its event in bytes that are not UTF-8, message 1 is fine; the batch's sentAt and a writeKey in the body are not UTF-8 either.
        var body = Encoding.UTF8.GetBytes("{\"sentAt\": \"X\", \"writeKey\": \"X\", \"batch\": [{\"type\": \"track\", \"userId\": \"u1\", \"event\": \"X\", \"messageId\": \"bad\"}, "
            + "{\"type\": \"track\", \"userId\": \"u1\", \"event\": \"Signed Up\", \"messageId\": \"good\"}]}");
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == (byte)'X')
            {
                body[i] = 0xff;
            }
        }

        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var problem = await ShouldBeProblemAsync(await source.PostAsync("/v1/batch", content, Ct), HttpStatusCode.BadRequest);
        problem.GetProperty("refused")[0].GetProperty("reason").GetString()!.ShouldContain("UTF-8");
        var events = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/u1/events", Ct));
        events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ShouldBe(["good"]);

        // With no Authorization header, an unreadable writeKey is no key: 401.
        using var anonymous = server.ClientWith(null);
        using var again = new ByteArrayContent(body);
        await ShouldBeProblemAsync(await anonymous.PostAsync("/v1/batch", again, Ct), HttpStatusCode.Unauthorized);
    }

    /// <summary>Makes a source through the API and returns its write key.</summary>
    private static async Task<string> CreateSourceAsync(RunningServer server)
    {
        var created = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/sources", """{"name": "web"}"""), HttpStatusCode.Created);
        return created.GetProperty("writeKey").GetString()!;
    }

    /// <summary>A client that sends the write key as the SDKs do: HTTP Basic, the key as user name, no password.</summary>
    private static HttpClient SourceClient(RunningServer server, string writeKey)
    {
        var client = server.ClientWith(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return client;
    }

    private static async Task<HttpResponseMessage> SignedAsync(HttpClient client, string url, string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body) };
        if (signature is not null)
        {
            request.Headers.Add("X-Signature", signature);
        }

        return await client.SendAsync(request, Ct);
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var zip = new GZipStream(output, CompressionLevel.Fastest))
        {
            zip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    /// <summary>Sends messages through a vendor's real npm client (tests/tools/cdp-send.mjs) and returns how it ended.</summary>
    internal static async Task<ToolProcess> SendWithClientAsync(string client, Uri server, string writeKey, string messages)
    {
        var tools = Repository.File("tests/tools");
        ToolProcess.Find("node").ShouldNotBeNull("The Segment tests run the vendors' npm clients on node 20: 'apt-get install -y nodejs npm' (test.sh does it when run as root), then 'npm ci' in tests/tools.");
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "@segment", "analytics-node")) || !Directory.Exists(Path.Combine(tools, "node_modules", "@rudderstack", "rudder-sdk-node")))
        {
            var install = await ToolProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tools, TimeSpan.FromMinutes(5), Ct);
            install.ExitCode.ShouldBe(0, $"'npm ci' in tests/tools failed:\n{install.Output}");
        }

        var file = Path.Combine(Path.GetTempPath(), $"cdp-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, messages, Ct);
        try
        {
            return await ToolProcess.RunAsync("node", ["cdp-send.mjs", "--client", client, "--host", server.ToString().TrimEnd('/'), "--write-key", writeKey, "--messages", file],
                tools, TimeSpan.FromMinutes(2), Ct);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
