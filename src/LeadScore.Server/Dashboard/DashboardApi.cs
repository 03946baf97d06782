using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Dashboard;

/// <summary>
/// The web dashboard: its page at <c>/</c>, its files under <c>/dashboard/</c>, and its session
/// (sign in with an API key, who am I, sign out). Everything else it shows comes from <c>/api/v1</c>.
/// </summary>
internal static class DashboardApi
{
    /// <summary>
    /// Only this server's own files and API: no inline script, no other origin, no framing. Styles set
    /// through the CSSOM (bar widths) are not style attributes, so 'self' is enough for them too.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void MapDashboard(this WebApplication app, ServerOptions options)
    {
        // Read the embedded files now: a packaging mistake fails the start, not the first visitor.
        app.Services.GetRequiredService<DashboardAssets>();
        var dashboard = app.MapGroup("").WithTags("dashboard").ExcludeFromDescription();

        dashboard.MapGet("/", (HttpContext http, DashboardAssets assets) => Serve(http, assets, "index.html"));
        dashboard.MapGet("/dashboard/{**path}", (string path, HttpContext http, DashboardAssets assets) => Serve(http, assets, path));

        dashboard.MapPost("/dashboard/session", async (
            HttpRequest request, ApiKeyCache keys, DashboardSessionCache sessions, ILeadStore store, CancellationToken ct) =>
        {
            if (!SessionCookie.HasCsrfHeader(request))
            {
                return Problems.CrossSiteRequest($"Sign in from the dashboard: the request must send the header '{SessionCookie.CsrfHeader}: 1'.");
            }

            var bound = await JsonBody.ReadAsync<SignInBody>(request, options.MaxSingleBodyBytes, "{key}", ct);
            if (bound.Value is not { } body)
            {
                return bound.Problem!;
            }

            var key = string.IsNullOrWhiteSpace(body.Key) ? null : await keys.FindAsync(body.Key.Trim(), ct);
            if (key is { Scope: ApiKeyScope.Ingest })
            {
                // A source's write key sits in the sender's configuration; it may send data, never read it.
                return Problems.Forbidden("This is a source's write key: it can only send data to /v1/*. Sign in with a read, write or admin key.");
            }

            // Null too when the key was revoked, on another server, since this one looked it up.
            var created = key is null ? null : await store.Keys.CreateDashboardSessionAsync(key.Workspace, key.Id, options.DashboardSessionLifetime, ct);
            if (created is null)
            {
                return Problems.Unauthorized("This API key is unknown or was revoked. Paste a whole key (lsk_...); 'leadscore apikey create' makes one.");
            }

            // A sign-in replaces the browser's session: the one its cookie named ends here, not at its expiry.
            if (SessionCookie.Read(request) is { } previous)
            {
                await SignOutAsync(previous, sessions, store, ct);
            }

            sessions.Remember(created);
            SessionCookie.Write(request.HttpContext.Response, created.Secret, IsSecure(request, options));
            return Results.Ok(SessionResponse.From(created.Session));
        }).Accepts<SignInBody>("application/json");

        dashboard.MapGet("/dashboard/session", async (HttpRequest request, DashboardSessionCache sessions, CancellationToken ct) =>
        {
            var secret = SessionCookie.Read(request);
            if (secret is null)
            {
                return Problems.Unauthorized("Not signed in: sign in with an API key.");
            }

            var session = await sessions.FindAsync(secret, ct);
            var state = session?.StateAt(options.Time.GetUtcNow());
            if (state is not DashboardSessionState.Active)
            {
                SessionCookie.Clear(request.HttpContext.Response, IsSecure(request, options));
                return Problems.Unauthorized(SessionCookie.Refusal(state, options), Problems.CodeOf(state));
            }

            return Results.Ok(SessionResponse.From(session!));
        });

        dashboard.MapDelete("/dashboard/session", async (HttpRequest request, DashboardSessionCache sessions, ILeadStore store, CancellationToken ct) =>
        {
            if (!SessionCookie.HasCsrfHeader(request))
            {
                return Problems.CrossSiteRequest($"Sign out from the dashboard: the request must send the header '{SessionCookie.CsrfHeader}: 1'.");
            }

            if (SessionCookie.Read(request) is { } secret)
            {
                await SignOutAsync(secret, sessions, store, ct);
            }

            SessionCookie.Clear(request.HttpContext.Response, IsSecure(request, options));
            return Results.NoContent();
        });
    }

    /// <summary>
    /// Ends the session in the database, where every server looks (others stop accepting it within
    /// <see cref="ServerOptions.KeyCacheDuration"/>), then here at once. Holding the cookie is all it
    /// takes: whoever has it could use the session anyway.
    /// </summary>
    private static async Task SignOutAsync(string secret, DashboardSessionCache sessions, ILeadStore store, CancellationToken ct)
    {
        await store.Keys.RevokeDashboardSessionAsync(secret, ct);
        sessions.Forget(secret);
    }

    private static IResult Serve(HttpContext http, DashboardAssets assets, string path)
    {
        if (assets.Find(path) is not { } asset)
        {
            return Problems.NotFound($"The dashboard has no file '{path}'.");
        }

        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        if (http.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    /// <summary>Secure cookies over HTTPS, and behind a TLS-terminating proxy when the public URL is HTTPS.</summary>
    private static bool IsSecure(HttpRequest request, ServerOptions options) =>
        request.IsHttps || options.PublicUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;
}

internal sealed record SignInBody(string Key);

internal sealed record SessionResponse(string KeyId, string Name, string Workspace, string Scope, DateTimeOffset ExpiresAt)
{
    public static SessionResponse From(DashboardSession session) =>
        new(session.KeyId, session.KeyName, session.Workspace.Value, session.Scope.ToString().ToLowerInvariant(), session.ExpiresAt);
}
