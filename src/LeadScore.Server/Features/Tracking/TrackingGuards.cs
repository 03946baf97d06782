using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using LeadScore.Server.Hosting;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Tracking;

/// <summary>
/// What stands between the public internet and the tracking endpoints: site keys and tracking
/// secrets remembered for a few seconds (a page view must not cost a key lookup), rate limits per
/// site key and per visitor, and the bot filter.
/// </summary>
internal sealed partial class TrackingGuards(ILeadStore store, ServerOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, (SiteKey? Key, DateTimeOffset Until)> _sites = new(StringComparer.Ordinal);

    // A workspace's secret never changes once made, so it is kept for the life of the process.
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    // Workspaces without a secret, remembered a few seconds like unknown site keys, so tokens naming
    // made-up workspaces cannot flood the database.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _noSecret = new(StringComparer.Ordinal);

    // The origins of each workspace's valid site keys, kept as briefly as a site key: every email click asks.
    private readonly ConcurrentDictionary<string, (FrozenSet<string> Origins, DateTimeOffset Until)> _siteOrigins = new(StringComparer.Ordinal);

    private readonly PartitionedRateLimiter<string> _perSite = PartitionedRateLimiter.Create<string, string>(site =>
        RateLimitPartition.GetTokenBucketLimiter(site, _ => Bucket(options.TrackingRequestsPerSecondPerSite)));

    private readonly PartitionedRateLimiter<string> _perVisitor = PartitionedRateLimiter.Create<string, string>(visitor =>
        RateLimitPartition.GetTokenBucketLimiter(visitor, _ => Bucket(options.TrackingRequestsPerSecondPerVisitor)));

    /// <summary>The site key, valid (looked up at most every few seconds, an unknown one too, so garbage keys cannot flood the database).</summary>
    public async ValueTask<SiteKey?> SiteAsync(string key, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        if (_sites.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        var found = await store.Tracking.FindSiteKeyAsync(key, cancellationToken);
        if (_sites.Count > 10_000)
        {
            _sites.Clear();
        }

        _sites[key] = (found, now + options.KeyCacheDuration);
        return found;
    }

    /// <summary>
    /// Whether a valid site key of the workspace lists <paramref name="origin"/> (normalised), so a
    /// link landing there may carry a proof. Read at most every few seconds per workspace, like site
    /// keys: a revoked key stops proofs as soon as it stops the snippet.
    /// </summary>
    public async ValueTask<bool> IsSiteOriginAsync(WorkspaceId workspace, string origin, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        if (!_siteOrigins.TryGetValue(workspace.Value, out var cached) || cached.Until <= now)
        {
            var sites = await store.Tracking.ListSiteKeysAsync(workspace, cancellationToken);
            cached = (sites.Where(s => s.RevokedAt is null).SelectMany(s => s.Origins).ToFrozenSet(StringComparer.OrdinalIgnoreCase), now + options.KeyCacheDuration);
            if (_siteOrigins.Count > 10_000)
            {
                _siteOrigins.Clear();
            }

            _siteOrigins[workspace.Value] = cached;
        }

        return cached.Origins.Contains(origin);
    }

    public async ValueTask<string> SecretAsync(WorkspaceId workspace, CancellationToken cancellationToken) =>
        _secrets.TryGetValue(workspace.Value, out var secret)
            ? secret
            : _secrets[workspace.Value] = await store.Tracking.GetTrackingSecretAsync(workspace, cancellationToken);

    /// <summary>
    /// The secret that checks a token claiming <paramref name="workspace"/>, or null when there is none
    /// (no such workspace, or it never made a link): then no genuine token can name it. Never makes a
    /// secret and never fails, so a forged token reads exactly like any other.
    /// </summary>
    public async ValueTask<string?> FindSecretAsync(WorkspaceId workspace, CancellationToken cancellationToken)
    {
        if (_secrets.TryGetValue(workspace.Value, out var known))
        {
            return known;
        }

        var now = options.Time.GetUtcNow();
        if (_noSecret.TryGetValue(workspace.Value, out var until) && until > now)
        {
            return null;
        }

        if (await store.Tracking.FindTrackingSecretAsync(workspace, cancellationToken) is { } found)
        {
            return _secrets[workspace.Value] = found;
        }

        if (_noSecret.Count > 10_000)
        {
            _noSecret.Clear();
        }

        _noSecret[workspace.Value] = now + options.KeyCacheDuration;
        return null;
    }

    /// <summary>
    /// Takes a request's turn from its site's and its visitor's buckets; false when either is empty,
    /// with how long until it has a token again (for <c>Retry-After</c>).
    /// </summary>
    public bool TryAcquire(SiteKey site, string visitor, out TimeSpan retryAfter)
    {
        using var perSite = _perSite.AttemptAcquire(site.Id);
        if (!perSite.IsAcquired)
        {
            retryAfter = RetryAfter(perSite);
            return false;
        }

        using var perVisitor = _perVisitor.AttemptAcquire($"{site.Id}:{visitor}");
        retryAfter = perVisitor.IsAcquired ? TimeSpan.Zero : RetryAfter(perVisitor);
        return perVisitor.IsAcquired;
    }

    private static TimeSpan RetryAfter(RateLimitLease refused) =>
        refused.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);

    /// <summary>
    /// Crawlers, monitors, headless browsers and scripts that run the snippet: their visits would
    /// inflate scores. (Bots that do not run JavaScript never send anything.)
    /// </summary>
    public static bool IsBot(string? userAgent) => string.IsNullOrWhiteSpace(userAgent) || BotAgent().IsMatch(userAgent);

    /// <summary>
    /// Mail privacy proxies fetch every image when a message is delivered, whether or not anyone
    /// reads it: Apple Mail Privacy Protection (a bare "Mozilla/5.0"), Gmail's and Yahoo's image proxies.
    /// </summary>
    public static bool IsMachineOpen(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) || userAgent.Trim() == "Mozilla/5.0" || MailProxy().IsMatch(userAgent);

    public void Dispose()
    {
        _perSite.Dispose();
        _perVisitor.Dispose();
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond) => new()
    {
        TokenLimit = perSecond * 2,
        TokensPerPeriod = Math.Max(1, perSecond / 10),
        ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, perSecond / 10) / (double)perSecond),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    [GeneratedRegex(@"bot\b|bot/|crawl|spider|slurp|facebookexternalhit|embedly|preview|headless|phantomjs|selenium|puppeteer|playwright|lighthouse|pingdom|uptime|monitor|python-requests|python-urllib|curl/|wget/|go-http-client|java/|okhttp|httpclient|libwww|scrapy", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BotAgent();

    [GeneratedRegex(@"GoogleImageProxy|ggpht\.com|YahooMailProxy|Yahoo Mail Proxy|Outlook-iOS-Android/ImageProxy", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MailProxy();
}
