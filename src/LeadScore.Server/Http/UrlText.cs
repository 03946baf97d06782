using LeadScore.Engine.Values;

namespace LeadScore.Server.Http;

/// <summary>
/// Refuses a request whose path or query string holds text no store can take: <c>%00</c> decodes to
/// a NUL, which PostgreSQL's text type cannot hold, so a route id, a cursor or a search term with one
/// failed there with a 500 (and matched nothing on SQLite). Checked once, before authentication and
/// routing, so every endpoint and both stores answer the same 400.
/// </summary>
internal static class UrlText
{
    public static async Task GuardAsync(HttpContext http, RequestDelegate next)
    {
        if (Problem(http.Request) is { } problem)
        {
            await problem.ExecuteAsync(http);
            return;
        }

        await next(http);
    }

    private static IResult? Problem(HttpRequest request)
    {
        if (StorableText.Problem(request.Path.Value) is { } inPath)
        {
            return Problems.UnreadableUrl("URL's path", inPath);
        }

        foreach (var (name, values) in request.Query)
        {
            if (StorableText.Problem(name) is { } inName)
            {
                return Problems.UnreadableUrl("name of a query parameter", inName);
            }

            foreach (var value in values)
            {
                if (StorableText.Problem(value) is { } inValue)
                {
                    return Problems.UnreadableUrl($"query parameter '{name}'", inValue);
                }
            }
        }

        return null;
    }
}
