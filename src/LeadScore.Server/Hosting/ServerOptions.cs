namespace LeadScore.Server.Hosting;

/// <summary>How a LeadScore server runs: its database, where it listens, and its limits.</summary>
public sealed record ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>A SQLite path or a PostgreSQL connection string; null means <c>./leadscore.db</c>.</summary>
    public string? Connection { get; init; }

    /// <summary>Where to listen; port 0 picks a free port (tests).</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>Requests per second each API key may make on average, and the burst it may spend at once.</summary>
    public int RequestsPerSecondPerKey { get; init; } = 2_000;

    public int BurstPerKey { get; init; } = 4_000;

    /// <summary>The largest request body accepted anywhere (a batch of 10,000 events fits well within it).</summary>
    public long MaxBatchBodyBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>The largest body of an endpoint that takes one object (an event, a contact, a model).</summary>
    public long MaxSingleBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>How often the sweeper re-scores scores whose points expired or decayed.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the predictive schedule looks whether a workspace's model is due for training (every
    /// 10 days, or a fifth more conversions) or its predictions for a refresh (daily).
    /// </summary>
    public TimeSpan PredictiveCheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often the review schedule looks for models due their 30-day review.</summary>
    public TimeSpan ReviewCheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often the job worker looks for jobs another process left unfinished.</summary>
    public TimeSpan JobPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a looked-up API key is trusted before it is looked up again (a revocation elsewhere takes this long to bite).</summary>
    public TimeSpan KeyCacheDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a dashboard sign-in lasts, however busy it is (an absolute lifetime, not an idle one):
    /// past it the cookie is refused and the dashboard asks for a key again. Signing out, or revoking
    /// the key, ends it sooner (within <see cref="KeyCacheDuration"/> on other servers).
    /// </summary>
    public TimeSpan DashboardSessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Networks webhook targets may be on although they are loopback, link-local or private (CIDR
    /// blocks or addresses, e.g. <c>10.0.0.0/8</c>), and ports they may use besides 80, 443 and
    /// 1024-65535 (<c>port:25</c>, <c>port:8-9</c>): such targets are refused otherwise, so an
    /// automation cannot be turned against the network the server runs in.
    /// </summary>
    public IReadOnlyList<string> WebhookAllowedNetworks { get; init; } = [];

    /// <summary>How long a webhook call may take, connection included, before it counts as failed.</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after a first failed attempt; it doubles (with jitter) after each further one, up to <see cref="WebhookMaxRetryDelay"/>.</summary>
    public TimeSpan WebhookFirstRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan WebhookMaxRetryDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a delivery is retried before it becomes a dead letter (replayable through the API).</summary>
    public TimeSpan WebhookRetryWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often the dispatcher looks for due webhook deliveries (the outbox), in every workspace.</summary>
    public TimeSpan DeliveryPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many webhook calls one server makes at once; a slow receiver holds only one of them.</summary>
    public int WebhookConcurrency { get; init; } = 8;

    /// <summary>
    /// The address the internet reaches this server by (https://ls.example.com), for the links it
    /// makes (the snippet tag, email tracking links); the request's own host when null.
    /// </summary>
    public string? PublicUrl { get; init; }

    /// <summary>Tracking requests per second one site key may send (all its visitors together), and one visitor.</summary>
    public int TrackingRequestsPerSecondPerSite { get; init; } = 1_000;

    public int TrackingRequestsPerSecondPerVisitor { get; init; } = 5;

    /// <summary>The largest body the snippet may send.</summary>
    public long MaxTrackingBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Logs as JSON lines (for a log shipper) instead of human-readable lines.</summary>
    public bool JsonLogs { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
