using System.Diagnostics.Metrics;

namespace LeadScore.Server.Telemetry;

/// <summary>
/// The product's own metrics (the meter <c>LeadScore</c>); request latency comes from ASP.NET Core's
/// <c>http.server.request.duration</c>. Tags carry no workspace id, so no tenant shows in metrics.
/// </summary>
internal sealed class LeadScoreMetrics : IDisposable
{
    public const string MeterName = "LeadScore";

    private readonly Meter _meter;
    private readonly Counter<long> _events;
    private readonly Counter<long> _scores;
    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _trackingRefused;

    public LeadScoreMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _events = _meter.CreateCounter<long>("leadscore.events.ingested", "{event}", "Events received, by result: accepted, duplicate or rejected.");
        _scores = _meter.CreateCounter<long>("leadscore.scores.changed", "{score}", "Scores recomputed by writes through the API.");
        _trackingRefused = _meter.CreateCounter<long>("leadscore.tracking.refused", "{request}", "Tracking requests not stored, by reason: bot, origin, rate-limit or erased.");
        _webhooks = _meter.CreateCounter<long>("leadscore.webhooks.attempts", "{attempt}", "Webhook delivery attempts, by result: delivered, retry or dead.");
    }

    public void EventsIngested(int accepted, int duplicates, int rejected)
    {
        Add(_events, accepted, "accepted");
        Add(_events, duplicates, "duplicate");
        Add(_events, rejected, "rejected");
    }

    public void ScoresChanged(int count)
    {
        if (count > 0)
        {
            _scores.Add(count);
        }
    }

    public void WebhookAttempted(string result) => _webhooks.Add(1, new KeyValuePair<string, object?>("result", result));

    public void TrackingRefused(string reason) => _trackingRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();

    private static void Add(Counter<long> counter, int count, string result)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>("result", result));
        }
    }
}
