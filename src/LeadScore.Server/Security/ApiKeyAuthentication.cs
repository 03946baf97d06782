using System.Security.Claims;
using System.Text.Encodings.Web;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LeadScore.Server.Security;

/// <summary>
/// Reads <c>Authorization: Bearer &lt;api key&gt;</c>, or, when a request has no such header, the
/// dashboard's <see cref="SessionCookie"/> (which holds a key too, so a revoked key ends its sessions
/// as it ends its API calls). It only says who is calling; whether the key may call an endpoint is
/// <see cref="RequireScope"/>'s decision, so that its refusal can say which scope was missing.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string WorkspaceClaim = "workspace";

    public const string ScopeClaim = "scope";

    /// <summary>Present, with the value "session", on requests authenticated by the dashboard's cookie.</summary>
    public const string ViaClaim = "via";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return SessionCookie.Read(Request) is { } sessionKey
                ? await AuthenticateAsync(sessionKey, viaSession: true)
                : AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        return await AuthenticateAsync(header["Bearer ".Length..].Trim(), viaSession: false);
    }

    private async Task<AuthenticateResult> AuthenticateAsync(string secret, bool viaSession)
    {
        var key = await keys.FindAsync(secret, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail(viaSession
                ? "The key this dashboard session was signed in with is unknown or was revoked; sign in again with a valid key."
                : "The API key is unknown or was revoked; create one with 'leadscore apikey create'.");
        }

        List<Claim> claims =
        [
            new Claim(ClaimTypes.NameIdentifier, key.Id),
            new Claim(WorkspaceClaim, key.Workspace.Value),
            new Claim(ScopeClaim, key.Scope.ToString()),
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
