using System.Security.Claims;
using System.Text.Encodings.Web;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LeadScore.Server.Security;

/// <summary>
/// Reads <c>Authorization: Bearer &lt;api key&gt;</c> (or HTTP Basic with the key as the user name,
/// as the Segment and RudderStack clients send their write key), or, when a request has no such header, the
/// dashboard's <see cref="SessionCookie"/> (a session id: the session carries the key id, workspace
/// and scope it was signed in with, and ends on sign-out, on expiry, or when its key is revoked).
/// It only says who is calling; whether the caller may call an endpoint is <see cref="RequireScope"/>'s
/// decision, so that its refusal can say which scope was missing.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyCache keys, DashboardSessionCache sessions, ServerOptions server)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string WorkspaceClaim = "workspace";

    public const string ScopeClaim = "scope";

    /// <summary>Present, with the value "session", on requests authenticated by the dashboard's cookie.</summary>
    public const string ViaClaim = "via";

    /// <summary>Where a failure keeps its problem code, for <see cref="RequireScope"/>'s 401.</summary>
    private const string ProblemCodeItem = "problem-code";

    /// <summary>The problem code a failed authentication asked for (null: the generic one).</summary>
    public static string? ProblemCodeOf(AuthenticateResult result) =>
        result.Properties?.Items.TryGetValue(ProblemCodeItem, out var code) == true ? code : null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return SessionCookie.Read(Request) is { } sessionId
                ? await AuthenticateSessionAsync(sessionId)
                : AuthenticateResult.NoResult();
        }

        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim()
            : header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? BasicUserName(header["Basic ".Length..].Trim())
            : null;
        if (presented is null)
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>' (or HTTP Basic with the key as the user name and no password, as Segment's and RudderStack's clients send a write key).");
        }

        var key = await keys.FindAsync(presented, Context.RequestAborted);
        return key is null
            ? AuthenticateResult.Fail("The API key is unknown or was revoked; create one with 'leadscore apikey create'.")
            : Success(key.Id, key.Workspace, key.Scope, viaSession: false);
    }

    /// <summary>The user name of HTTP Basic credentials (the Segment SDKs send their write key so, with an empty password); null when unreadable.</summary>
    public static string? BasicUserName(string encoded)
    {
        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length))
        {
            return null;
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, length);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? text : text[..colon];
    }

    private async Task<AuthenticateResult> AuthenticateSessionAsync(string sessionId)
    {
        var session = await sessions.FindAsync(sessionId, Context.RequestAborted);
        var state = session?.StateAt(server.Time.GetUtcNow());
        if (state is not DashboardSessionState.Active)
        {
            var properties = new AuthenticationProperties();
            properties.Items[ProblemCodeItem] = Problems.CodeOf(state);
            return AuthenticateResult.Fail(SessionCookie.Refusal(state, server), properties);
        }

        return Success(session!.KeyId, session.Workspace, session.Scope, viaSession: true);
    }

    private static AuthenticateResult Success(string keyId, WorkspaceId workspace, ApiKeyScope scope, bool viaSession)
    {
        List<Claim> claims =
        [
            new Claim(ClaimTypes.NameIdentifier, keyId),
            new Claim(WorkspaceClaim, workspace.Value),
            new Claim(ScopeClaim, scope.ToString()),
        ];
        if (viaSession)
        {
            claims.Add(new Claim(ViaClaim, "session"));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>The calling key's workspace and scope, read from the claims <see cref="ApiKeyAuthentication"/> set.</summary>
internal static class CallerClaims
{
    public static WorkspaceId Workspace(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(ApiKeyAuthentication.WorkspaceClaim) ?? throw new InvalidOperationException("The endpoint has no RequireScope filter."));

    public static string? KeyId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    public static bool ViaSession(this ClaimsPrincipal user) => user.FindFirstValue(ApiKeyAuthentication.ViaClaim) == "session";

    public static ApiKeyScope? Scope(this ClaimsPrincipal user) =>
        Enum.TryParse<ApiKeyScope>(user.FindFirstValue(ApiKeyAuthentication.ScopeClaim), out var scope) ? scope : null;
}
