using System.Globalization;
using LeadScore.Engine.Values;
using LeadScore.Storage.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadScore.Server.Http;

/// <summary>
/// Every error the API returns is an RFC 9457 problem whose <c>detail</c> says what was wrong, where,
/// and how to fix it; <c>code</c> is a stable word clients can match on.
/// </summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string detail, string code = "invalid-request", IDictionary<string, object?>? extensions = null) =>
        Make(StatusCodes.Status400BadRequest, "The request is not valid", detail, code, extensions);

    public static ProblemHttpResult Unauthorized(string detail, string code = "unauthorized") =>
        Make(StatusCodes.Status401Unauthorized, "An API key is needed", detail, code);

    /// <summary>
    /// The code of a 401 for a dashboard cookie that no longer signs in (null: no session has its id),
    /// so that a client can tell a lapsed session from a bad key.
    /// </summary>
    public static string CodeOf(DashboardSessionState? refused) => refused switch
    {
        null => "session-unknown",
        DashboardSessionState.SignedOut => "session-signed-out",
        DashboardSessionState.KeyRevoked => "session-key-revoked",
        DashboardSessionState.Expired => "session-expired",
        DashboardSessionState.Active => throw new ArgumentOutOfRangeException(nameof(refused), refused, "An active session is not refused."),
        _ => throw new ArgumentOutOfRangeException(nameof(refused), refused, null),
    };

    public static ProblemHttpResult Forbidden(string detail) =>
        Make(StatusCodes.Status403Forbidden, "The key's scope is not enough", detail, "forbidden");

    /// <summary>A 403 for a write signed in by the dashboard's cookie without its header: a possible cross-site request forgery, not a scope matter.</summary>
    public static ProblemHttpResult CrossSiteRequest(string detail) =>
        Make(StatusCodes.Status403Forbidden, "A cookie-signed write needs the dashboard's header", detail, "csrf");

    /// <summary>A 403 that is not about a key's scope: a public endpoint refusing what it was sent (a site key, an origin, an event type).</summary>
    public static ProblemHttpResult Refused(string detail, string code) =>
        Make(StatusCodes.Status403Forbidden, "Not allowed", detail, code);

    public static ProblemHttpResult NotFound(string detail, string code = "not-found") =>
        Make(StatusCodes.Status404NotFound, "Not found", detail, code);

    public static ProblemHttpResult Conflict(string detail, string code = "conflict") =>
        Make(StatusCodes.Status409Conflict, "Conflict", detail, code);

    public static ProblemHttpResult TooLarge(string detail) =>
        Make(StatusCodes.Status413PayloadTooLarge, "The request is too large", detail, "too-large");

    public static ProblemHttpResult Unprocessable(string detail, string code, IDictionary<string, object?>? extensions = null) =>
        Make(StatusCodes.Status422UnprocessableEntity, "The request cannot be applied", detail, code, extensions);

    public static ProblemHttpResult Unavailable(string detail) =>
        Make(StatusCodes.Status503ServiceUnavailable, "Not ready", detail, "unavailable");

    /// <summary>A 429 with <c>Retry-After</c> in whole seconds (at least 1), as every rate limit answers.</summary>
    public static ProblemHttpResult TooManyRequests(HttpResponse response, TimeSpan retryAfter, string detail)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = RetrySeconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        return Make(StatusCodes.Status429TooManyRequests, "Too many requests", detail, "rate-limited");
    }

    /// <summary>The whole seconds <c>Retry-After</c> says for a wait: rounded up, at least 1.</summary>
    public static int RetrySeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    /// <summary>
    /// The <c>type</c> of a problem with this status: the RFC section that defines the status, as
    /// ASP.NET Core's defaults give for most, and for the two it leaves without one (413, 429).
    /// </summary>
    public static string? TypeFor(int? status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        _ => null,
    };

    /// <summary>A value a reader could not take (a number out of range, text that is not storable): 400, its JSON path in <c>path</c>.</summary>
    public static ProblemHttpResult Unreadable(JsonValueProblem problem) =>
        BadRequest($"{problem.Path}: {problem.Reason}.", CodeOf(problem.Fault), new Dictionary<string, object?> { ["path"] = problem.Path });

    /// <summary>Text of the URL (a route id, a query value) that cannot be stored: 400 naming the part at fault.</summary>
    public static ProblemHttpResult UnreadableUrl(string where, string problem) =>
        BadRequest($"The {where} {problem}.", CodeOf(JsonValueFault.Text));

    /// <summary>A single item (a record, an event, an outcome) the reader or the store refused: 422 with the reason and, when one value is at fault, its JSON path.</summary>
    public static ProblemHttpResult NotStored(string noun, Rejection rejection, string code) =>
        Unprocessable($"The {noun} was not stored: {rejection.Reason}.", code,
            rejection.Path is null ? null : new Dictionary<string, object?> { ["path"] = rejection.Path });

    /// <summary>A store's expected failure, with the status its code calls for.</summary>
    public static ProblemHttpResult From(StoreError error) => StatusOf(error.Failure) switch
    {
        StatusCodes.Status404NotFound => NotFound(error.Message, error.Code),
        StatusCodes.Status409Conflict => Conflict(error.Message, error.Code),
        StatusCodes.Status400BadRequest => BadRequest(error.Failure == StoreFailure.InvalidLimit ? $"'limit' is out of range: {error.Message}" : error.Message, error.Code),
        _ => Unprocessable(error.Message, error.Code),
    };

    /// <summary>
    /// The status of each store failure, stated for every one: a new failure without a status fails
    /// <c>ProblemsTests</c> rather than quietly becoming a 422.
    /// </summary>
    public static int StatusOf(StoreFailure failure) => failure switch
    {
        StoreFailure.UnknownModel or StoreFailure.UnknownContact or StoreFailure.UnknownClaim => StatusCodes.Status404NotFound,
        StoreFailure.ModelArchived => StatusCodes.Status409Conflict,
        StoreFailure.InvalidCursor or StoreFailure.NotPredicted or StoreFailure.InvalidLimit => StatusCodes.Status400BadRequest,
        StoreFailure.UnknownCategory or StoreFailure.UnknownAutomation or StoreFailure.InvalidAdjustment or StoreFailure.InvalidVisitor
            or StoreFailure.InvalidSegment or StoreFailure.InvalidEmail => StatusCodes.Status422UnprocessableEntity,
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "A store failure without an HTTP status: give it one here."),
    };

    private static string CodeOf(JsonValueFault fault) => fault switch
    {
        JsonValueFault.Text => "invalid-text",
        JsonValueFault.Number => "invalid-number",
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
    };

    private static ProblemHttpResult Make(int status, string title, string detail, string code, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail, statusCode: status, title: title, type: TypeFor(status), extensions: all);
    }
}
