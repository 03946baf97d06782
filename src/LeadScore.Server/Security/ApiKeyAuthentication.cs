using System.Security.Claims;
using System.Text.Encodings.Web;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LeadScore.Server.Security;

/// <summary>
/// Reads <c>Authorization: Bearer &lt;api key&gt;</c>. It only says who is calling; whether the key
/// may call an endpoint is <see cref="RequireScope"/>'s decision, so that its refusal can say which
/// scope was missing.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string WorkspaceClaim = "workspace";

    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        var key = await keys.FindAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is unknown or was revoked; create one with 'leadscore apikey create'.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, key.Id),
                new Claim(WorkspaceClaim, key.Workspace.Value),
                new Claim(ScopeClaim, key.Scope.ToString()),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>The calling key's workspace and scope, read from the claims <see cref="ApiKeyAuthentication"/> set.</summary>
internal static class CallerClaims
{
    public static WorkspaceId Workspace(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(ApiKeyAuthentication.WorkspaceClaim) ?? throw new InvalidOperationException("The endpoint has no RequireScope filter."));

    public static string? KeyId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    public static ApiKeyScope? Scope(this ClaimsPrincipal user) =>
        Enum.TryParse<ApiKeyScope>(user.FindFirstValue(ApiKeyAuthentication.ScopeClaim), out var scope) ? scope : null;
}
