using System.Collections.Concurrent;
using LeadScore.Server.Hosting;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Security;

/// <summary>
/// Remembers keys found valid for a few seconds, so a busy client does not cost a database lookup
/// per request. Only valid keys are remembered; a key revoked through this process is forgotten at
/// once, one revoked through another process after <see cref="ServerOptions.KeyCacheDuration"/>.
/// </summary>
internal sealed class ApiKeyCache(ILeadStore store, ServerOptions options)
{
    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _valid = new(StringComparer.Ordinal);

    public async ValueTask<ApiKey?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        if (_valid.TryGetValue(secret, out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        var key = await store.Keys.FindApiKeyAsync(secret, cancellationToken);
        if (key is null)
        {
            _valid.TryRemove(secret, out _);
            return null;
        }

        _valid[secret] = (key, now + options.KeyCacheDuration);
        return key;
    }

    public void Forget(string keyId)
    {
        foreach (var (secret, entry) in _valid)
        {
            if (entry.Key.Id == keyId)
            {
                _valid.TryRemove(secret, out _);
            }
        }
    }
}
