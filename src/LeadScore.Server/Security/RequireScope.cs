using LeadScore.Server.Http;
using LeadScore.Storage.Records;
using Microsoft.AspNetCore.Authentication;

namespace LeadScore.Server.Security;

/// <summary>
/// Lets a request through only with a valid API key of at least the given scope; otherwise answers
/// 401 (no key, or a bad one, with why) or 403 (the scope that is missing).
/// </summary>
internal sealed class RequireScope(ApiKeyScope needed) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Scope() is not { } scope)
        {
            // The authentication middleware keeps only successes; the handler remembers this request's failure, and why.
            var result = await http.AuthenticateAsync(ApiKeyAuthentication.SchemeName);
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Unauthorized(
                result.Failure?.Message ?? "This endpoint needs an API key: send 'Authorization: Bearer <api key>'. 'leadscore apikey create' makes one.",
                ApiKeyAuthentication.ProblemCodeOf(result) ?? "unauthorized");
        }

        if (scope < needed)
        {
            return Problems.Forbidden(
                $"This key has the '{Lower(scope)}' scope; this endpoint needs '{Lower(needed)}'. Use a key with that scope.");
        }

        return await next(context);
    }

    private static string Lower(ApiKeyScope scope) => scope.ToString().ToLowerInvariant();
}
