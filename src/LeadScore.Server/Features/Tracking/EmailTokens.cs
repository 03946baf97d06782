using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LeadScore.Server.Features.Tracking;

/// <summary>What an email tracking token says: whose email, which campaign, and for a click the one link it may lead to.</summary>
public sealed record EmailToken(string Workspace, string Contact, string Campaign, Uri? Link)
{
    public bool IsClick => Link is not null;
}

/// <summary>
/// Signs and checks the tokens of email open pixels and tracked links: base64url of a small JSON
/// payload, a dot, and base64url of its HMAC-SHA256 with the workspace's tracking secret. Not
/// encrypted (the contact id shows to whoever decodes it); what matters is that nobody without the
/// secret can make one, so opens cannot be forged and a click token cannot send anyone anywhere else.
/// </summary>
public static class EmailTokens
{
    public static string Sign(EmailToken token, string secret)
    {
        ArgumentNullException.ThrowIfNull(token);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(token.Workspace, token.Contact, token.Campaign, token.Link?.ToString()));
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload))}";
    }

    /// <summary>The workspace a token claims, read before its signature can be checked (the secret is per workspace); null when it is not a token.</summary>
    public static string? WorkspaceOf(string text) => Decode(text)?.Payload.W;

    /// <summary>The token when its signature is right for <paramref name="secret"/>; null for anything forged, altered or malformed.</summary>
    public static EmailToken? Verify(string text, string secret)
    {
        if (Decode(text) is not { } decoded)
        {
            return null;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), decoded.Bytes);
        if (!CryptographicOperations.FixedTimeEquals(expected, decoded.Signature))
        {
            return null;
        }

        var p = decoded.Payload;
        Uri? link = null;
        if (p.U is not null && !(Uri.TryCreate(p.U, UriKind.Absolute, out link) && link.Scheme is "http" or "https"))
        {
            return null;
        }

        return new EmailToken(p.W, p.C, p.M, link);
    }

    private static (Payload Payload, byte[] Bytes, byte[] Signature)? Decode(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || text.Length > 4096)
        {
            return null;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(text.AsSpan(0, dot));
            var signature = Base64Url.DecodeFromChars(text.AsSpan(dot + 1));
            var payload = JsonSerializer.Deserialize<Payload>(bytes);
            return payload is { W: not null, C: not null, M: not null } && signature.Length == 32 ? (payload, bytes, signature) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    // Short names: the token is in every link of every email.
    private sealed record Payload(string W, string C, string M, string? U);
}
