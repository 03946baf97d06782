using Microsoft.AspNetCore.Diagnostics;

namespace LeadScore.Server.Http;

/// <summary>
/// Problems for what the framework throws: a request it cannot read (a query value of the wrong
/// type, a body over the limit) is the client's 4xx with the framework's reason; anything else is a
/// 500 whose detail points at the server log, never at the exception text.
/// </summary>
internal static partial class ProblemsForExceptions
{
    public static int StatusOf(Exception exception) =>
        exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;

    public static void Customize(ProblemDetailsContext context)
    {
        var exception = context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error ?? context.Exception;
        var problem = context.ProblemDetails;

        // The framework's own problems (Kestrel's 413, say) carry a type like the catalogue's.
        problem.Type ??= Problems.TypeFor(problem.Status);
        if (exception is BadHttpRequestException bad)
        {
            problem.Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The body is larger than the server's limit; send less per request (split a batch)."
                : Explain(bad.Message);
            problem.Extensions["code"] = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "too-large" : "invalid-request";
        }
        else if (exception is not null)
        {
            problem.Detail = "An unexpected error happened; nothing was half-written (each write is one transaction). The server log has the details under this traceId.";
            problem.Extensions["code"] = "internal-error";
        }
        else if (problem.Status == StatusCodes.Status404NotFound && problem.Detail is null)
        {
            problem.Detail = $"There is no endpoint {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}; /docs lists them.";
            problem.Extensions["code"] = "no-endpoint";
        }
        else if (problem.Status == StatusCodes.Status415UnsupportedMediaType && problem.Detail is null)
        {
            problem.Detail = "Send the body as JSON with the header 'Content-Type: application/json'.";
            problem.Extensions["code"] = "not-json";
        }
        else if (problem.Status == StatusCodes.Status405MethodNotAllowed && problem.Detail is null)
        {
            problem.Detail = $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}; /docs lists the methods each path takes.";
            problem.Extensions["code"] = "method-not-allowed";
        }
    }

    // "Failed to bind parameter "Nullable<int> limit" from "abc"." names C# types; say it in the API's words.
    private static string Explain(string message)
    {
        var match = BindFailure().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var type = match.Groups["type"].Value;
        var expected = type switch
        {
            "int" or "long" => "a whole number",
            "double" or "decimal" => "a number",
            "bool" => "true or false",
            "DateTimeOffset" or "DateTime" => "an ISO 8601 date-time such as 2026-11-01T10:00:00Z",
            _ => "a " + type,
        };
        return $"'{match.Groups["name"].Value}' must be {expected}, not '{match.Groups["value"].Value}'.";
    }

    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?:Nullable<)?(?<type>\w+)>? (?<name>\w+)" from "(?<value>.*)"\.$""")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();
}
