using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LeadScore.Server.Features.Tracking;

/// <summary>
/// The proof a tracked email link hands to the website: when a contact clicks a link of an email
/// sent to them and lands on a page of the workspace's site, the redirect carries <c>ls_c</c>, which
/// the snippet sends back once. It names the contact, expires in <see cref="Lifetime"/>, and is signed
/// with the workspace's tracking secret under its own purpose, so an email token is not a proof nor
/// a proof an email token. It turns that browser's claim into a confirmed link to the contact.
/// </summary>
public static class VisitorProofs
{
    /// <summary>Long enough for the landing page to load and the snippet to send; short, because the URL may be shared.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>The query parameter the redirect adds and the snippet reads.</summary>
    public const string Parameter = "ls_c";

    private static readonly byte[] Purpose = "leadscore visitor proof\n"u8.ToArray();

    public static string Sign(string workspace, string contact, DateTimeOffset now, string secret)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(workspace, contact, (now + Lifetime).ToUnixTimeSeconds()));
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(Mac(payload, secret))}";
    }

    /// <summary>The contact a proof names, when it is signed for <paramref name="workspace"/>, unaltered and not expired; null otherwise.</summary>
    public static string? Verify(string text, string workspace, DateTimeOffset now, string secret)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || text.Length > 2048)
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(text.AsSpan(0, dot));
            var signature = Base64Url.DecodeFromChars(text.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(Mac(payload, secret), signature))
            {
                return null;
            }

            return JsonSerializer.Deserialize<Payload>(payload) is { W: { } w, C: { Length: > 0 } c } p && w == workspace && p.E >= now.ToUnixTimeSeconds() ? c : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The link with the proof added to its query.</summary>
    public static Uri AddTo(Uri link, string proof)
    {
        var query = link.Query.Length > 1 ? link.Query[1..] + "&" : "";
        return new UriBuilder(link) { Query = $"{query}{Parameter}={Uri.EscapeDataString(proof)}" }.Uri;
    }

    private static byte[] Mac(ReadOnlySpan<byte> payload, string secret)
    {
        var signed = new byte[Purpose.Length + payload.Length];
        Purpose.CopyTo(signed, 0);
        payload.CopyTo(signed.AsSpan(Purpose.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }

    private sealed record Payload(string W, string C, long E);
}
