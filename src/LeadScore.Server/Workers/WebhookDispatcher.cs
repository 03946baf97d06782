using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text;
using LeadScore.Server.Hosting;
using LeadScore.Server.Telemetry;
using LeadScore.Server.Webhooks;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Workers;

/// <summary>
/// Sends the webhook deliveries automations wrote to the outbox: claims the due ones (with several
/// servers on one PostgreSQL each delivery is claimed by one), posts each signed, and records the
/// attempt: delivered, due again after a backoff with jitter, or dead once the retry window is over.
/// Runs apart from ingestion, so a slow or broken receiver never slows scoring.
/// </summary>
internal sealed class WebhookDispatcher : BackgroundService
{
    private readonly ILeadStore _store;
    private readonly ServerOptions _options;
    private readonly LeadScoreMetrics _metrics;
    private readonly ILogger<WebhookDispatcher> _log;
    private readonly HttpClient _client;
    private readonly RetrySchedule _schedule;

    public WebhookDispatcher(ILeadStore store, ServerOptions options, WebhookTargetPolicy policy, LeadScoreMetrics metrics, ILogger<WebhookDispatcher> log)
    {
        _store = store;
        _options = options;
        _metrics = metrics;
        _log = log;
        _client = new HttpClient(policy.CreateHandler(options.WebhookTimeout)) { Timeout = options.WebhookTimeout };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("LeadScore-Webhooks", "1.0"));
        _schedule = new RetrySchedule(options.WebhookFirstRetryDelay, options.WebhookMaxRetryDelay, options.WebhookRetryWindow, Random.Shared);
    }

    /// <summary>Long enough for every claimed call to time out; a crashed server's claims are due again after it.</summary>
    private TimeSpan Lease => (_options.WebhookTimeout * 2) + TimeSpan.FromSeconds(30);

    [SuppressMessage("Design", "CA1031", Justification = "A background loop must outlive one failed round: it logs the failure and tries again.")]
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                var due = await _store.Deliveries.ClaimDeliveriesAsync(_options.WebhookConcurrency * 4, Lease, stoppingToken);
                claimed = due.Count;
                await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.WebhookConcurrency }, (d, _) => SendAsync(d, stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database hiccup must not end the dispatcher: unsent deliveries stay in the outbox.
                _log.LogError(ex, "Dispatching webhooks failed; retrying after {Interval}", _options.DeliveryPollInterval);
            }

            if (claimed == 0)
            {
                try
                {
                    await Task.Delay(_options.DeliveryPollInterval, _options.Time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    private async ValueTask SendAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var now = _options.Time.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(delivery.Secret, timestamp, body));

        int? status = null;
        string? error = null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stoppingToken);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = $"HTTP {status} {response.ReasonPhrase}";
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            error = "the server stopped before an answer came";
        }
        catch (TaskCanceledException)
        {
            error = $"no answer within {_options.WebhookTimeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException ex)
        {
            error = ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} ({inner.Message})" : ex.Message;
        }

        var attempt = new DeliveryAttempt(delivery.Attempts + 1, now, status, error, Stopwatch.GetElapsedTime(started));
        DateTimeOffset? retryAt = null;
        if (!attempt.Succeeded)
        {
            // Stopping is not the receiver's fault: the delivery is due again at once, on the next start.
            var next = stoppingToken.IsCancellationRequested ? now : _options.Time.GetUtcNow() + _schedule.DelayAfter(attempt.Number);
            retryAt = _schedule.GivesUp(delivery.RetryFrom, next) ? null : next;
        }

        // Recorded even while stopping: an attempt the log lacks would be sent again with no trace of the first.
        await _store.Deliveries.CompleteDeliveryAsync(delivery, attempt, retryAt, CancellationToken.None);
        var result = attempt.Succeeded ? "delivered" : retryAt is null ? "dead" : "retry";
        _metrics.WebhookAttempted(result);
        if (!attempt.Succeeded)
        {
            _log.Log(retryAt is null ? LogLevel.Warning : LogLevel.Information,
                "Webhook {DeliveryId} to {Host} attempt {Attempt} failed: {Error}; {Next}",
                delivery.Id, delivery.Url.Host, attempt.Number, error, retryAt is { } at ? $"retrying at {at:O}" : "dead-lettered (replay it through the API)");
        }
    }
}
