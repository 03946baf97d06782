using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using System.Text;
using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Storage.Keys;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// The dashboard over plain HTTP: its page and files, and its session cookie (a session id, never the
/// key; HttpOnly, SameSite=Strict), which authenticates API calls like a bearer key but must prove,
/// for writes, that the dashboard's own script sent them, and ends on sign-out, on expiry and with its key.
/// </summary>
public sealed class DashboardSessionTests
{
    private const string CsrfHeader = "X-LeadScore-Dashboard";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Root_ServesTheDashboardPage_WithItsModulesAndAStrictContentSecurityPolicy()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = WithoutCookieJar(server);

        using var page = await anonymous.GetAsync("/", Ct);
        using var script = await anonymous.GetAsync("/dashboard/app.js", Ct);
        using var missing = await anonymous.GetAsync("/dashboard/nothing.js", Ct);

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await page.Content.ReadAsStringAsync(Ct)).ShouldContain("<script type=\"module\" src=\"/dashboard/app.js\"></script>");
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("script-src 'self'");
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        script.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SignIn_WithAKey_SetsAnHttpOnlyStrictSessionCookieThatReadsTheApi_AndNeverHoldsTheKey()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = WithoutCookieJar(server);

        using var signIn = await SignInAsync(anonymous, server.AdminKey);

        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        cookie.ShouldMatch("^leadscore_session=lss_[A-Za-z0-9_-]{43}; ");
        cookie.ShouldNotContain(server.AdminKey);
        // The key's secret part, taken by position: base64url may itself hold '_' (and so start with one).
        cookie.ShouldNotContain(server.AdminKey[(KeyStore.KeyPrefix.Length + KeyStore.KeyIdLength + 1)..], customMessage: "not even the key's secret part");
        cookie.ShouldContain("httponly");
        cookie.ShouldContain("samesite=strict");
        cookie.ShouldNotContain("secure", Case.Insensitive, "plain HTTP on loopback: a Secure cookie would never come back");
        cookie.ShouldNotContain("expires", Case.Insensitive, "a browser-session cookie: it also ends when the browser closes");
        var body = (await signIn.Content.ReadFromJsonAsync<SessionBody>(Ct))!;
        body.Scope.ShouldBe("admin");
        body.ExpiresAt.ShouldBeInRange(DateTimeOffset.UtcNow.AddHours(11.9), DateTimeOffset.UtcNow.AddHours(12.1));
        using var models = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", SessionOf(signIn));
        models.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignIn_TheKeyItselfAsTheCookie_IsRefused()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = WithoutCookieJar(server);

        using var models = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", server.AdminKey);

        models.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ProblemAsync(models)).Code.ShouldBe("session-unknown");
    }

    [Fact]
    public async Task SignIn_WithAnUnknownKey_Is401WithWhy_AndSetsNoCookie()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = WithoutCookieJar(server);

        using var signIn = await SignInAsync(anonymous, "lsk_nope_nothing");

        signIn.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await signIn.Content.ReadAsStringAsync(Ct)).ShouldContain("unknown or was revoked");
        signIn.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task SignIn_WithASourcesWriteKey_Is403_AndSetsNoCookie()
    {
        // A source's key sits in Segment's or RudderStack's settings: it may send data, never read it.
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var created = await server.Client.PostAsJsonAsync("/api/v1/sources", new { name = "web" }, Ct);
        var writeKey = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("writeKey").GetString()!;
        using var anonymous = WithoutCookieJar(server);

        using var signIn = await SignInAsync(anonymous, writeKey);

        signIn.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await signIn.Content.ReadAsStringAsync(Ct)).ShouldContain("source's write key");
        signIn.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task CookieWrite_WithoutTheDashboardHeader_Is403_AndWithItIsDone()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = WithoutCookieJar(server);
        var cookie = await SignedInCookieAsync(anonymous, server.AdminKey);
        const string body = """{"scope": "read", "name": "from the dashboard"}""";

        using var forged = await SendAsync(anonymous, HttpMethod.Post, "/api/v1/keys", cookie, body, csrf: false);
        using var dashboard = await SendAsync(anonymous, HttpMethod.Post, "/api/v1/keys", cookie, body, csrf: true);

        forged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = JsonDocument.Parse(await forged.Content.ReadAsStringAsync(Ct)).RootElement;
        problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain(CsrfHeader);
        problem.GetProperty("code").GetString().ShouldBe("csrf");
        problem.GetProperty("title").GetString().ShouldBe("A cookie-signed write needs the dashboard's header");
        problem.GetProperty("type").GetString().ShouldBe("https://tools.ietf.org/html/rfc9110#section-15.5.4");
        dashboard.StatusCode.ShouldBe(HttpStatusCode.Created);
        var keys = await server.Client.GetStringAsync("/api/v1/keys", Ct);
        keys.ShouldContain("from the dashboard");
        keys.Split("from the dashboard").Length.ShouldBe(2, "the forged request created nothing");
    }

    [Fact]
    public async Task BearerClients_WriteWithoutTheDashboardHeader_AsBefore()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);

        using var created = await server.Client.PutAsync("/api/v1/contacts/c-1",
            new StringContent("""{"email": "ana@example.com"}""", Encoding.UTF8, "application/json"), Ct);

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task RevokedKey_EndsItsSessions_AtTheNextRequest()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        var key = await server.CreateKeyAsync(LeadScore.Storage.Records.ApiKeyScope.Read, Ct);
        using var anonymous = WithoutCookieJar(server);
        var cookie = await SignedInCookieAsync(anonymous, key);
        using var before = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", cookie);
        var keyId = key.Split('_')[1];

        using var revoked = await server.Client.DeleteAsync($"/api/v1/keys/{keyId}", Ct);
        using var after = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", cookie);
        using var session = await SendAsync(anonymous, HttpMethod.Get, "/dashboard/session", cookie);

        before.StatusCode.ShouldBe(HttpStatusCode.OK);
        revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var problem = await ProblemAsync(after);
        (problem.Code, problem.Detail).ShouldBe(("session-key-revoked", "The key this dashboard session was signed in with is unknown or was revoked; sign in again."));
        session.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        session.Headers.GetValues("Set-Cookie").Single().ShouldStartWith("leadscore_session=;", customMessage: "the dead cookie is cleared");
    }

    [Fact]
    public async Task SignOut_ClearsTheCookie()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = WithoutCookieJar(server);
        var cookie = await SignedInCookieAsync(anonymous, server.AdminKey);

        using var signOut = await SendAsync(anonymous, HttpMethod.Delete, "/dashboard/session", cookie);

        signOut.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var cleared = signOut.Headers.GetValues("Set-Cookie").Single();
        cleared.ShouldStartWith("leadscore_session=;");
        cleared.ShouldContain("expires=Thu, 01 Jan 1970");
    }

    [Fact]
    public async Task SignOut_ACookieCopiedBefore_IsRefusedAfter()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var browser = WithoutCookieJar(server);
        var copied = await SignedInCookieAsync(browser, server.AdminKey);
        using var beforeSignOut = await SendAsync(browser, HttpMethod.Get, "/api/v1/models", copied);

        using var signOut = await SendAsync(browser, HttpMethod.Delete, "/dashboard/session", copied);
        using var elsewhere = WithoutCookieJar(server);
        using var read = await SendAsync(elsewhere, HttpMethod.Get, "/api/v1/models", copied);
        using var write = await SendAsync(elsewhere, HttpMethod.Put, "/api/v1/contacts/c-1", copied, """{"email": "ana@example.com"}""");
        using var session = await SendAsync(elsewhere, HttpMethod.Get, "/dashboard/session", copied);

        beforeSignOut.StatusCode.ShouldBe(HttpStatusCode.OK);
        signOut.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        read.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var problem = await ProblemAsync(read);
        (problem.Code, problem.Detail).ShouldBe(("session-signed-out", "This dashboard session was signed out; sign in again."));
        write.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await server.Client.GetAsync("/api/v1/contacts/c-1", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "the refused write stored nothing");
        session.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ProblemAsync(session)).Code.ShouldBe("session-signed-out");
    }

    [Fact]
    public async Task SignIn_Again_EndsTheSessionTheBrowserHadBefore()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = WithoutCookieJar(server);
        var first = await SignedInCookieAsync(anonymous, server.AdminKey);

        using var again = await SignInAsync(anonymous, server.AdminKey, first);
        using var withFirst = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", first);
        using var withSecond = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", SessionOf(again));

        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        SessionOf(again).ShouldNotBe(first);
        withFirst.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        withSecond.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Session_PastItsLifetime_IsRefused_AndTheSessionEndpointClearsItsCookie()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var server = await RunningServer.StartSqliteAsync(
            new ServerOptions { Time = clock, DashboardSessionLifetime = TimeSpan.FromHours(2) }, Ct);
        using var anonymous = WithoutCookieJar(server);
        var cookie = await SignedInCookieAsync(anonymous, server.AdminKey);

        clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        using var justBefore = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", cookie);
        clock.Advance(TimeSpan.FromSeconds(1));
        using var atTheEnd = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", cookie);
        using var session = await SendAsync(anonymous, HttpMethod.Get, "/dashboard/session", cookie);

        justBefore.StatusCode.ShouldBe(HttpStatusCode.OK);
        atTheEnd.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var problem = await ProblemAsync(atTheEnd);
        (problem.Code, problem.Detail).ShouldBe(("session-expired", "This dashboard session expired (a sign-in lasts 2 hours); sign in again."));
        session.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        session.Headers.GetValues("Set-Cookie").Single().ShouldStartWith("leadscore_session=;");
        using var bearer = await server.Client.GetAsync("/api/v1/models", Ct);
        bearer.StatusCode.ShouldBe(HttpStatusCode.OK, "the key itself is still valid");
    }

    [Fact]
    public async Task SignOutAndKeyRevocation_OnAnotherServer_BiteHereWithinTheKeyCacheDuration()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var file = new SqliteFile();
        var options = new ServerOptions { Connection = file.Path, Time = clock, KeyCacheDuration = TimeSpan.FromSeconds(10) };
        await using var a = await RunningServer.StartAsync(options, null, Ct);
        await using var b = await RunningServer.StartAsync(options, null, Ct, a.AdminKey);
        var readKey = await a.CreateKeyAsync(LeadScore.Storage.Records.ApiKeyScope.Read, Ct);
        using var onA = WithoutCookieJar(a);
        using var onB = WithoutCookieJar(b);
        var signedOut = await SignedInCookieAsync(onA, a.AdminKey);
        var ofRevokedKey = await SignedInCookieAsync(onA, readKey);
        (await SendAsync(onB, HttpMethod.Get, "/api/v1/models", signedOut)).StatusCode.ShouldBe(HttpStatusCode.OK, "B remembers the session");
        (await SendAsync(onB, HttpMethod.Get, "/api/v1/models", ofRevokedKey)).StatusCode.ShouldBe(HttpStatusCode.OK, "B remembers the session");

        (await SendAsync(onA, HttpMethod.Delete, "/dashboard/session", signedOut)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await a.Client.DeleteAsync($"/api/v1/keys/{readKey.Split('_')[1]}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var onAAtOnce = await SendAsync(onA, HttpMethod.Get, "/api/v1/models", ofRevokedKey);
        using var onBWithinTheDuration = await SendAsync(onB, HttpMethod.Get, "/api/v1/models", signedOut);
        clock.Advance(TimeSpan.FromSeconds(10));
        using var signedOutOnB = await SendAsync(onB, HttpMethod.Get, "/api/v1/models", signedOut);
        using var revokedOnB = await SendAsync(onB, HttpMethod.Get, "/api/v1/models", ofRevokedKey);

        onAAtOnce.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the revoking server forgets the key's sessions at once");
        onBWithinTheDuration.StatusCode.ShouldBe(HttpStatusCode.OK, "the documented delay: B trusts what it looked up for KeyCacheDuration");
        signedOutOnB.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ProblemAsync(signedOutOnB)).Code.ShouldBe("session-signed-out");
        revokedOnB.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ProblemAsync(revokedOnB)).Code.ShouldBe("session-key-revoked");
    }

    /// <summary>
    /// A client that sends only the cookies a test puts on a request: a cookie jar would send the last
    /// session it was given too, which is what these tests must control.
    /// </summary>
    private static HttpClient WithoutCookieJar(RunningServer server) =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.Address };

    private static async Task<string> SignedInCookieAsync(HttpClient client, string key)
    {
        using var signIn = await SignInAsync(client, key);
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK, await signIn.Content.ReadAsStringAsync(Ct));
        return SessionOf(signIn);
    }

    /// <summary>The session id a sign-in's Set-Cookie holds.</summary>
    private static string SessionOf(HttpResponseMessage signIn)
    {
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("leadscore_session=lss_", StringComparison.Ordinal));
        return cookie["leadscore_session=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static async Task<Problem> ProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return (await response.Content.ReadFromJsonAsync<Problem>(Ct))!;
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, string? previousSession = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/session")
        {
            Content = JsonContent.Create(new { key }),
        };
        request.Headers.Add(CsrfHeader, "1");
        if (previousSession is not null)
        {
            request.Headers.Add("Cookie", $"leadscore_session={previousSession}");
        }

        return client.SendAsync(request, Ct);
    }

    /// <summary>A request as the browser sends it once signed in: the session cookie, and the dashboard's header unless <paramref name="csrf"/> is false.</summary>
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string session, string? json = null, bool csrf = true)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Cookie", $"leadscore_session={session}");
        if (csrf)
        {
            request.Headers.Add(CsrfHeader, "1");
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request, Ct);
    }

    private sealed record SessionBody(string KeyId, string Name, string Workspace, string Scope, DateTimeOffset ExpiresAt);

    private sealed record Problem(string Code, string Detail);
}
