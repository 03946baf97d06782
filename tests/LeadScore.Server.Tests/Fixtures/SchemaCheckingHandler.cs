namespace LeadScore.Server.Tests.Fixtures;

/// <summary>
/// Checks every success answer a test's client gets against the operation the served OpenAPI document
/// says answered it, and fails the request (<see cref="ResponseSchemaException"/>) when the answer does
/// not match, so the test that made it fails naming the endpoint. Paths the document does not describe
/// (the dashboard, /docs, /metrics) pass unchecked. Every operation met is counted in <see cref="Checked"/>.
/// </summary>
public sealed class SchemaCheckingHandler(Uri server) : DelegatingHandler(new SocketsHttpHandler())
{
    private static readonly SemaphoreSlim Loading = new(1, 1);
    private static OpenApiResponses? _document;

    /// <summary>The operations whose success answers were checked in this test run, with how many of each (all servers, all tests).</summary>
    public static System.Collections.Concurrent.ConcurrentDictionary<string, int> Checked { get; } = new();

    /// <summary>The document every LeadScore server of this build serves, fetched once per test run.</summary>
    public static async Task<OpenApiResponses> DocumentAsync(Uri server, CancellationToken cancellationToken)
    {
        if (_document is { } loaded)
        {
            return loaded;
        }

        await Loading.WaitAsync(cancellationToken);
        try
        {
            if (_document is null)
            {
                using var plain = new HttpClient { BaseAddress = server };
                _document = OpenApiResponses.Parse(await plain.GetStringAsync("/openapi/v1.json", cancellationToken));
            }

            return _document;
        }
        finally
        {
            Loading.Release();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (status is < 200 or > 299 || request.RequestUri is not { } uri)
        {
            return response;
        }

        var document = await DocumentAsync(server, cancellationToken);
        if (document.Find(request.Method.Method, uri.AbsolutePath) is not { } operation)
        {
            return response;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? (body.Length == 0 ? null : "application/octet-stream");
        if (document.Check(operation, status, mediaType, body) is { } mismatch)
        {
            throw new ResponseSchemaException($"{request.Method} {uri.PathAndQuery} ({operation.Id}, {operation.Method} {operation.Template}) answered {status}, but {mismatch}. Body: {Shorten(body)}");
        }

        Checked.AddOrUpdate($"{operation.Method} {operation.Template}", 1, (_, n) => n + 1);
        return response;
    }

    private static string Shorten(string body) => body.Length <= 600 ? body : body[..600] + "...";
}

/// <summary>An answer of the API that its own OpenAPI document does not describe.</summary>
public sealed class ResponseSchemaException(string message) : Exception(message);
