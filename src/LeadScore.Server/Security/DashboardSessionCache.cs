using System.Collections.Concurrent;
using LeadScore.Server.Hosting;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Security;

/// <summary>
/// Remembers active dashboard sessions for <see cref="ServerOptions.KeyCacheDuration"/>, so a
/// dashboard's page of requests costs one lookup, not one each. It keeps <see cref="ApiKeyCache"/>'s
/// promise: a sign-out or key revocation through this process bites at once, one through another
/// process within that duration. Expiry needs no lookup: <see cref="DashboardSession.StateAt"/> reads
/// it from the remembered session against the server's clock, to the second.
/// </summary>
internal sealed class DashboardSessionCache(ILeadStore store, ServerOptions options)
{
    // Past this many remembered sessions, a new one first sweeps out the stale: sessions are made by
    // every sign-in and, unlike keys, most are never presented again.
    private const int SweepAbove = 1_000;

    private readonly ConcurrentDictionary<string, (DashboardSession Session, DateTimeOffset Until)> _active = new(StringComparer.Ordinal);

    /// <summary>The session the cookie names, whatever its state (null when none has that id); only active ones are remembered.</summary>
    public async ValueTask<DashboardSession?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        if (_active.TryGetValue(secret, out var cached) && cached.Until > now)
        {
            return cached.Session;
        }

        var session = await store.Keys.FindDashboardSessionAsync(secret, cancellationToken);
        if (session?.StateAt(now) is not DashboardSessionState.Active)
        {
            _active.TryRemove(secret, out _);
            return session;
        }

        if (_active.Count > SweepAbove)
        {
            Sweep(now);
        }

        _active[secret] = (session, now + options.KeyCacheDuration);
        return session;
    }

    /// <summary>Remembers a session just made, so the sign-in's first page needs no lookup.</summary>
    public void Remember(CreatedDashboardSession created) =>
        _active[created.Secret] = (created.Session, options.Time.GetUtcNow() + options.KeyCacheDuration);

    /// <summary>Forgets a session signed out through this process.</summary>
    public void Forget(string secret) => _active.TryRemove(secret, out _);

    /// <summary>Forgets the sessions of a key revoked through this process.</summary>
    public void ForgetKey(string keyId)
    {
        foreach (var (secret, entry) in _active)
        {
            if (entry.Session.KeyId == keyId)
            {
                _active.TryRemove(secret, out _);
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (secret, entry) in _active)
        {
            if (entry.Until <= now || entry.Session.ExpiresAt <= now)
            {
                _active.TryRemove(secret, out _);
            }
        }
    }
}
