using System.Security.Claims;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;

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

        dashboard.MapPost("/dashboard/session", async (HttpRequest request, ApiKeyCache keys, CancellationToken ct) =>
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
            if (key is null)
            {
                return Problems.Unauthorized("This API key is unknown or was revoked. Paste a whole key (lsk_...); 'leadscore apikey create' makes one.");
            }

            SessionCookie.Write(request.HttpContext.Response, body.Key.Trim(), IsSecure(request, options));
            return Results.Ok(new SessionResponse(key.Id, key.Name, key.Workspace.Value, Lower(key.Scope)));
        }).Accepts<SignInBody>("application/json");

        dashboard.MapGet("/dashboard/session", async (HttpRequest request, ClaimsPrincipal user, ApiKeyCache keys, CancellationToken ct) =>
        {
            var secret = SessionCookie.Read(request);
            var key = secret is null ? null : await keys.FindAsync(secret, ct);
            if (key is null)
            {
                if (secret is not null)
                {
                    SessionCookie.Clear(request.HttpContext.Response, IsSecure(request, options));
                }

                return Problems.Unauthorized(secret is null
                    ? "Not signed in: sign in with an API key."
                    : "The key this session was signed in with is unknown or was revoked; sign in again.");
            }

            return Results.Ok(new SessionResponse(key.Id, key.Name, key.Workspace.Value, Lower(key.Scope)));
        });

        dashboard.MapDelete("/dashboard/session", (HttpRequest request) =>
        {
            if (!SessionCookie.HasCsrfHeader(request))
            {
                return Problems.CrossSiteRequest($"Sign out from the dashboard: the request must send the header '{SessionCookie.CsrfHeader}: 1'.");
            }

            SessionCookie.Clear(request.HttpContext.Response, IsSecure(request, options));
            return Results.NoContent();
        });
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

    private static string Lower(LeadScore.Storage.Records.ApiKeyScope scope) => scope.ToString().ToLowerInvariant();
}

internal sealed record SignInBody(string Key);

internal sealed record SessionResponse(string KeyId, string Name, string Workspace, string Scope);
