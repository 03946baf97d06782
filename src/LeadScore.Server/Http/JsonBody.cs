using System.Text.Json;
using LeadScore.Engine.Values;
using LeadScore.Storage.Rows;
using Microsoft.AspNetCore.Http.Features;

namespace LeadScore.Server.Http;

/// <summary>
/// Reads a request body as JSON within a size limit. A body that is too large, empty or not JSON
/// becomes a problem that says where it went wrong (line, position, JSON path), never a bare 400.
/// </summary>
/// <remarks>
/// The parser accepts what JSON allows but nothing downstream can hold (<c>1e400</c>, bytes that are
/// not UTF-8 inside a string, <c>"\ud800"</c>, <c>"\u0000"</c>): <see cref="ReadAsync(HttpRequest, long, CancellationToken)"/>
/// checks every value of the body once (<see cref="JsonValues.Check"/>) and refuses the request at the
/// first bad one. Bodies of rows (records, events, outcomes) are read with <see cref="ReadRowsAsync"/>
/// instead: <see cref="JsonRow"/> checks each row's values, so one bad item of a batch is rejected alone.
/// </remarks>
internal static class JsonBody
{
    /// <summary>Reads a body whose every value must be readable: the first that is not refuses the request (400, with its JSON path).</summary>
    public static async Task<BodyReading> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var reading = await ReadRowsAsync(request, maxBytes, cancellationToken);
        if (reading.Document is { } document && JsonValues.Check(document.RootElement) is { } bad)
        {
            reading.Dispose();
            return BodyReading.Failed(Problems.Unreadable(bad));
        }

        return reading;
    }

    /// <summary>Reads a body of rows (one object or an array), leaving its values to be checked row by row by <see cref="JsonRow"/>.</summary>
    public static async Task<BodyReading> ReadRowsAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return BodyReading.Failed(TooLarge(maxBytes));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 32 }, cancellationToken);
            return BodyReading.Of(document);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return BodyReading.Failed(TooLarge(maxBytes));
        }
        catch (JsonException ex) when (ex.BytePositionInLine == 0 && ex.LineNumber == 0 && request.ContentLength is null or 0)
        {
            return BodyReading.Failed(Problems.BadRequest("The body is empty; send a JSON document.", "empty-body"));
        }
        catch (JsonException ex)
        {
            return BodyReading.Failed(Malformed(ex));
        }
    }

    private static IResult Malformed(JsonException ex) => Problems.BadRequest(
        $"The body is not valid JSON: {Reason(ex)} at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}. Fix the JSON and send it again.",
        "malformed-json");

    /// <summary>Parses a body already read (and decompressed), with the same problems as <see cref="ReadRowsAsync"/> for JSON that does not parse.</summary>
    public static BodyReading Parse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return BodyReading.Failed(Problems.BadRequest("The body is empty; send a JSON document.", "empty-body"));
        }

        try
        {
            return BodyReading.Of(JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 }));
        }
        catch (JsonException ex)
        {
            return BodyReading.Failed(Malformed(ex));
        }
    }

    /// <summary>Reads a body of fixed shape within a size limit and binds it (see <see cref="Bind{T}"/>).</summary>
    public static async Task<BindResult<T>> ReadAsync<T>(HttpRequest request, long maxBytes, string allowed, CancellationToken cancellationToken)
        where T : class
    {
        using var body = await ReadAsync(request, maxBytes, cancellationToken);
        return body.Problem is not null ? BindResult<T>.Failed(body.Problem) : Bind<T>(body.Document!.RootElement, allowed);
    }

    /// <summary>Binds a body of fixed shape; an unknown property, a missing one or a wrong type is reported with its JSON path.</summary>
    public static BindResult<T> Bind<T>(JsonElement element, string allowed)
        where T : class
    {
        try
        {
            return element.Deserialize<T>(ApiJson.Strict) is { } value
                ? BindResult<T>.Of(value)
                : BindResult<T>.Failed(Problems.BadRequest($"The body must be a JSON object with {allowed}.", "wrong-shape"));
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "the body" : ex.Path;
            return BindResult<T>.Failed(Problems.BadRequest($"Cannot read {where}: {Reason(ex)}. This endpoint takes {allowed}.", "wrong-shape"));
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.TooLarge($"The body is larger than this endpoint's limit of {maxBytes:N0} bytes; send less per request (split a batch).");

    // The serializer's messages name .NET types and repeat the path; keep the part a client can act on.
    private static string Reason(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'', StringComparison.Ordinal);
            var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
            return end > start ? $"unknown property {message[start..(end + 1)]}" : "unknown property";
        }

        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var names = message[(message.IndexOf("properties", StringComparison.Ordinal) + "properties".Length)..];
            var cut = names.IndexOf('.', StringComparison.Ordinal);
            return "missing required properties" + (cut >= 0 ? names[..cut] : names);
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal) || message.Contains("Cannot get the value", StringComparison.Ordinal))
        {
            return "a value has the wrong type";
        }

        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("non-nullable", StringComparison.OrdinalIgnoreCase))
        {
            return "a required value is null";
        }

        foreach (var tail in new[] { " Path:", " LineNumber:" })
        {
            var at = message.IndexOf(tail, StringComparison.Ordinal);
            if (at > 0)
            {
                message = message[..at];
            }
        }

        return message.TrimEnd().TrimEnd('.');
    }
}

/// <summary>A parsed request body, or the problem that answers the request instead.</summary>
internal sealed class BodyReading : IDisposable
{
    private BodyReading(JsonDocument? document, IResult? problem)
    {
        Document = document;
        Problem = problem;
    }

    public JsonDocument? Document { get; }

    public IResult? Problem { get; }

    public static BodyReading Of(JsonDocument document) => new(document, null);

    public static BodyReading Failed(IResult problem) => new(null, problem);

    public void Dispose() => Document?.Dispose();
}

/// <summary>A body bound to a fixed shape, or the problem that says why it could not be.</summary>
internal sealed class BindResult<T>
    where T : class
{
    private BindResult(T? value, IResult? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public IResult? Problem { get; }

    public static BindResult<T> Of(T value) => new(value, null);

    public static BindResult<T> Failed(IResult problem) => new(null, problem);
}
