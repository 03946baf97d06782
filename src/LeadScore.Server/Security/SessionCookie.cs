using System.Globalization;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Security;

/// <summary>
/// The dashboard's sign-in: a session id (<c>lss_</c> and 256 random bits), never the API key, in an
/// HttpOnly, SameSite=Strict cookie (Secure over HTTPS) with no expiry of its own, so it also ends with
/// the browser. The session lives in the database, stored as a hash, so any server behind a load
/// balancer, or one restarted, accepts it; it ends after <see cref="ServerOptions.DashboardSessionLifetime"/>,
/// on sign-out, or when its key is revoked, and a copy of the cookie ends with it.
/// Browsers attach cookies to requests other sites make, so an unsafe request authenticated by this
/// cookie must also carry <see cref="CsrfHeader"/>, which the dashboard's fetch always sends and a
/// cross-site form or script cannot (a custom header needs CORS, which this server never grants).
/// </summary>
internal static class SessionCookie
{
    public const string Name = "leadscore_session";

    public const string CsrfHeader = "X-LeadScore-Dashboard";

    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Why a cookie no longer signs in (null: no session has its id), and what to do, for a 401's detail.</summary>
    public static string Refusal(DashboardSessionState? state, ServerOptions options) => state switch
    {
        null => "This dashboard session is unknown (signed out long ago, or never made here); sign in again with an API key.",
        DashboardSessionState.SignedOut => "This dashboard session was signed out; sign in again.",
        DashboardSessionState.KeyRevoked => "The key this dashboard session was signed in with is unknown or was revoked; sign in again.",
        DashboardSessionState.Expired =>
            string.Create(CultureInfo.InvariantCulture, $"This dashboard session expired (a sign-in lasts {options.DashboardSessionLifetime.TotalHours:0.##} hours); sign in again."),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "An active session is not refused."),
    };

    public static void Write(HttpResponse response, string secret, bool secure) =>
        response.Cookies.Append(Name, secret, Options(secure));

    public static void Clear(HttpResponse response, bool secure) =>
        response.Cookies.Delete(Name, Options(secure));

    /// <summary>Whether the request says it comes from the dashboard's own scripts.</summary>
    public static bool HasCsrfHeader(HttpRequest request) => request.Headers.ContainsKey(CsrfHeader);

    /// <summary>
    /// Refuses, with 403, an unsafe API request authenticated by the cookie without <see cref="CsrfHeader"/>;
    /// bearer-token requests and reads pass untouched. Public endpoints (the tracking snippet's) are
    /// not guarded: they ignore who is signed in, and a signed-in user's own site may post to them.
    /// </summary>
    public static async Task GuardAsync(HttpContext http, RequestDelegate next)
    {
        if (http.User.ViaSession() && !IsSafe(http.Request.Method) && !HasCsrfHeader(http.Request)
            && http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await Problems.CrossSiteRequest(
                $"A request signed in by the dashboard's cookie that changes something must send the header '{CsrfHeader}: 1'; "
                + "API clients send 'Authorization: Bearer <api key>' instead.").ExecuteAsync(http);
            return;
        }

        await next(http);
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static CookieOptions Options(bool secure) => new()
    {
        HttpOnly = true,
        Secure = secure,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };
}
