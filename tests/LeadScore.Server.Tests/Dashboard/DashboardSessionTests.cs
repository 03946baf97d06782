using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Tests.Fixtures;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// The dashboard over plain HTTP: its page and files, and its session cookie (the API key, HttpOnly,
/// SameSite=Strict), which authenticates API calls like a bearer key but must prove, for writes, that
/// the dashboard's own script sent them.
/// </summary>
public sealed class DashboardSessionTests
{
    private const string CsrfHeader = "X-LeadScore-Dashboard";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Root_ServesTheDashboardPage_WithItsModulesAndAStrictContentSecurityPolicy()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = server.ClientWith(null);

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
    public async Task SignIn_WithAKey_SetsAnHttpOnlyStrictCookieThatReadsTheApi()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = server.ClientWith(null);

        using var signIn = await SignInAsync(anonymous, server.AdminKey);

        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        cookie.ShouldStartWith($"leadscore_session={server.AdminKey};");
        cookie.ShouldContain("httponly");
        cookie.ShouldContain("samesite=strict");
        cookie.ShouldNotContain("secure", Case.Insensitive, "plain HTTP on loopback: a Secure cookie would never come back");
        (await signIn.Content.ReadFromJsonAsync<SessionBody>(Ct))!.Scope.ShouldBe("admin");
        using var models = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", server.AdminKey);
        models.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignIn_WithAnUnknownKey_Is401WithWhy_AndSetsNoCookie()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = server.ClientWith(null);

        using var signIn = await SignInAsync(anonymous, "lsk_nope_nothing");

        signIn.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await signIn.Content.ReadAsStringAsync(Ct)).ShouldContain("unknown or was revoked");
        signIn.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task CookieWrite_WithoutTheDashboardHeader_Is403_AndWithItIsDone()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = server.ClientWith(null);
        const string body = """{"scope": "read", "name": "from the dashboard"}""";

        using var forged = await SendAsync(anonymous, HttpMethod.Post, "/api/v1/keys", server.AdminKey, body, csrf: false);
        using var dashboard = await SendAsync(anonymous, HttpMethod.Post, "/api/v1/keys", server.AdminKey, body, csrf: true);

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
        using var anonymous = server.ClientWith(null);
        using var before = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", key);
        var keyId = key.Split('_')[1];

        using var revoked = await server.Client.DeleteAsync($"/api/v1/keys/{keyId}", Ct);
        using var after = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/models", key);
        using var session = await SendAsync(anonymous, HttpMethod.Get, "/dashboard/session", key);

        before.StatusCode.ShouldBe(HttpStatusCode.OK);
        revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await after.Content.ReadAsStringAsync(Ct)).ShouldContain("sign in again");
        session.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        session.Headers.GetValues("Set-Cookie").Single().ShouldStartWith("leadscore_session=;", customMessage: "the dead cookie is cleared");
    }

    [Fact]
    public async Task SignOut_ClearsTheCookie()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        using var anonymous = server.ClientWith(null);

        using var signOut = await SendAsync(anonymous, HttpMethod.Delete, "/dashboard/session", server.AdminKey);

        signOut.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var cookie = signOut.Headers.GetValues("Set-Cookie").Single();
        cookie.ShouldStartWith("leadscore_session=;");
        cookie.ShouldContain("expires=Thu, 01 Jan 1970");
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/session")
        {
            Content = JsonContent.Create(new { key }),
        };
        request.Headers.Add(CsrfHeader, "1");
        return client.SendAsync(request, Ct);
    }

    /// <summary>A request as the browser sends it once signed in: the session cookie, and the dashboard's header unless <paramref name="csrf"/> is false.</summary>
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string sessionKey, string? json = null, bool csrf = true)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Cookie", $"leadscore_session={sessionKey}");
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

    private sealed record SessionBody(string KeyId, string Name, string Workspace, string Scope);
}
