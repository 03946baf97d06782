using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadScore.Server.Tests.Browser;

/// <summary>
/// Stands in for a LeadScore server when the snippet's protocol is tested on its own: a real
/// Kestrel app on 127.0.0.1 (a free port) that serves /t.js from the server assembly's embedded
/// resource and records every request to /t/collect, answering 204 with the caller's Origin allowed.
/// </summary>
public sealed class CollectRecorder : IAsyncDisposable
{
    private readonly Recording<CollectedRequest> _received = new(r => $"{r.Method} k={r.SiteKey} v={r.VisitorId} {r.Body}");
    private WebApplication? _app;

    private CollectRecorder()
    {
    }

    /// <summary>http://127.0.0.1:PORT/, the LeadScore base URL to give a <see cref="SitePages"/>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Every request so far, in the order they arrived.</summary>
    public IReadOnlyList<CollectedRequest> Received => _received.Items;

    /// <summary>The snippet as the server embeds it (the "t.js" resource of LeadScore.Server).</summary>
    public static byte[] EmbeddedSnippet()
    {
        using var stream = typeof(LeadScoreServer).Assembly.GetManifestResourceStream("t.js")
            ?? throw new InvalidOperationException("LeadScore.Server has no embedded resource 't.js' (see its .csproj).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static async Task<CollectRecorder> StartAsync(CancellationToken cancellationToken = default)
    {
        var snippet = EmbeddedSnippet();
        var recorder = new CollectRecorder();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/t.js", () => Results.Bytes(snippet, "text/javascript; charset=utf-8"));
        app.Map("/t/collect", recorder.RecordAsync);
        await app.StartAsync(cancellationToken);
        recorder._app = app;
        recorder.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single() + "/");
        return recorder;
    }

    /// <summary>
    /// Waits until what was received satisfies <paramref name="done"/>, then returns it; after
    /// <see cref="BrowserSession.Patience"/>, throws a <see cref="TimeoutException"/> listing what did arrive.
    /// </summary>
    public Task<IReadOnlyList<CollectedRequest>> WaitUntilAsync(
        Func<IReadOnlyList<CollectedRequest>, bool> done, string waitingFor, CancellationToken cancellationToken) =>
        _received.WaitUntilAsync(done, waitingFor, BrowserSession.Patience, cancellationToken);

    /// <summary>Waits for the first batch with an event of <paramref name="type"/> and returns that batch.</summary>
    public async Task<CollectedBatch> WaitForEventAsync(string type, CancellationToken cancellationToken) =>
        (await WaitForRequestAsync(batch => batch.EventTypes.Contains(type), $"an event '{type}'", cancellationToken)).ReadBatch();

    /// <summary>Waits for the first request whose batch satisfies <paramref name="match"/> and returns it.</summary>
    public async Task<CollectedRequest> WaitForRequestAsync(Func<CollectedBatch, bool> match, string waitingFor, CancellationToken cancellationToken)
    {
        var received = await WaitUntilAsync(requests => requests.Any(r => IsMatch(r, match)), waitingFor, cancellationToken);
        return received.First(r => IsMatch(r, match));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    private static bool IsMatch(CollectedRequest request, Func<CollectedBatch, bool> match) =>
        request.Method == HttpMethods.Post && match(request.ReadBatch());

    private async Task RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        // Recorded before answering: whoever sees the answer can then find the record.
        _received.Add(new CollectedRequest(
            context.Request.Method, context.Request.Query["k"].FirstOrDefault(), context.Request.Query["v"].FirstOrDefault(), headers, body));

        if (context.Request.Headers.Origin is { Count: > 0 } origin)
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
