using LeadScore.Server.Tests.Fixtures;
using LeadScore.Server.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadScore.Server.Tests.Webhooks;

/// <summary>
/// A real HTTP webhook receiver on 127.0.0.1 (Kestrel) that checks signatures and records every
/// POST to <see cref="Url"/>. It can answer 500 (<see cref="FailNext"/>), be slow (<see cref="Delay"/>),
/// hold every call until told (<see cref="Hold"/>, <see cref="Release"/>) or be down
/// (<see cref="GoDownAsync"/>, then <see cref="ComeBackAsync"/> on the same port).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>Generous: the signature is what is checked here, not the sender's clock.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromHours(1);

    private volatile string _secret;
    private readonly TimeProvider _clock;
    private readonly Recording<ReceivedWebhook> _received =
        new(r => $"{r.DeliveryId} -> {r.AnsweredStatus}{(r.SignatureValid ? "" : " (bad signature)")}");
    private int _failNext;
    private TaskCompletionSource? _gate;
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _delayTicks;
    private int _port;
    private WebApplication? _app;

    private WebhookReceiver(string secret, TimeProvider clock)
    {
        _secret = secret;
        _clock = clock;
    }

    /// <summary>The secret signatures are checked with; settable, as the server makes it when the automation is created.</summary>
    public string Secret
    {
        get => _secret;
        set => _secret = value;
    }

    /// <summary>Where to send webhooks: http://127.0.0.1:PORT/hook, the same port after a restart.</summary>
    public Uri Url => new($"http://127.0.0.1:{_port}/hook");

    /// <summary>How long to wait before answering, to look like a slow receiver. Zero by default.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    /// <summary>From now on, each call is received and then held, unanswered and unrecorded, until <see cref="Release"/>.</summary>
    public void Hold()
    {
        _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    /// <summary>Answers the calls held, and the next ones at once.</summary>
    public void Release() => Interlocked.Exchange(ref _gate, null)?.TrySetResult();

    /// <summary>Completes when a call is being held since the last <see cref="Hold"/>: the sender's call is under way.</summary>
    public Task WaitUntilHoldingAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => _held.Task.WaitAsync(timeout, cancellationToken);

    /// <summary>Every request so far, in the order they were answered.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => _received.Items;

    /// <summary>Starts on a free port of 127.0.0.1. <paramref name="clock"/> is "now" for the timestamp check (the real clock by default).</summary>
    public static async Task<WebhookReceiver> StartAsync(string secret, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var receiver = new WebhookReceiver(secret, clock ?? TimeProvider.System);
        await receiver.ListenAsync(port: 0, cancellationToken);
        return receiver;
    }

    /// <summary>The next <paramref name="count"/> requests are answered 500 (and recorded so).</summary>
    public void FailNext(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Exchange(ref _failNext, count);
    }

    /// <summary>Stops listening: new connections are refused until <see cref="ComeBackAsync"/>.</summary>
    public async Task GoDownAsync()
    {
        var app = _app ?? throw new InvalidOperationException("The receiver is already down.");
        _app = null;
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    /// <summary>Listens again on the port it had, so <see cref="Url"/> stays valid.</summary>
    public Task ComeBackAsync(CancellationToken cancellationToken = default) =>
        _app is null ? ListenAsync(_port, cancellationToken) : throw new InvalidOperationException("The receiver is already up.");

    /// <summary>
    /// Waits until <paramref name="distinctDeliveryIds"/> different deliveries have each been answered
    /// 2xx, then returns every request received (retries and failures included).
    /// </summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitForDeliveredAsync(
        int distinctDeliveryIds, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(
            received => received.Where(r => r.Delivered).Select(r => r.DeliveryId).Distinct().Count() >= distinctDeliveryIds,
            $"{distinctDeliveryIds} delivered webhook(s)",
            timeout,
            cancellationToken);

    /// <summary>
    /// Waits until what was received satisfies <paramref name="done"/>, then returns it; on timeout,
    /// throws a <see cref="TimeoutException"/> listing what did arrive.
    /// </summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitUntilAsync(
        Func<IReadOnlyList<ReceivedWebhook>, bool> done, string waitingFor, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _received.WaitUntilAsync(done, waitingFor, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await GoDownAsync();
        }
    }

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

        // A slow request must not hold up GoDownAsync: it is aborted instead.
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.MapPost("/hook", AnswerAsync);
        await app.StartAsync(cancellationToken);
        _port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
        _app = app;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var timestamp = context.Request.Headers[WebhookSignature.TimestampHeader].ToString();
        var signature = context.Request.Headers[WebhookSignature.SignatureHeader].ToString();
        var valid = WebhookSignature.Verify(_secret, timestamp, signature, body, _clock.GetUtcNow(), Tolerance);

        var answered = true;
        if (Volatile.Read(ref _gate) is { } gate)
        {
            _held.TrySetResult();
            try
            {
                await gate.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                answered = false;
            }
        }

        var delay = Delay;
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up waiting (or the receiver is going down): still recorded, as a
                // receiver that processed a request it could not answer in time, so retries show as repeats.
                answered = false;
            }
        }

        var status = !answered ? ReceivedWebhook.Unanswered
            : TakeFailure() ? StatusCodes.Status500InternalServerError
            : StatusCodes.Status200OK;

        // Recorded before answering: whoever sees the answer can then find the record.
        Record(new ReceivedWebhook(
            context.Request.Headers[WebhookSignature.DeliveryHeader].ToString(),
            timestamp,
            signature,
            System.Text.Encoding.UTF8.GetString(body),
            valid,
            status));
        if (answered)
        {
            context.Response.StatusCode = status;
        }
    }

    private bool TakeFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failNext);
            if (left == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _failNext, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    private void Record(ReceivedWebhook received) => _received.Add(received);
}
