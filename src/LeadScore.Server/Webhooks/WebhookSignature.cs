using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LeadScore.Server.Webhooks;

/// <summary>
/// Signs webhook bodies and checks signatures. The signature is <c>v1=</c> and the lowercase hex
/// HMAC-SHA256, keyed with the UTF-8 bytes of the automation's secret, of the Unix timestamp, a dot
/// and the raw body. Signing the timestamp with the body lets a receiver refuse replays of an old
/// request without trusting anything outside the signature.
/// </summary>
/// <remarks>Public so that receivers written in C# can copy it; docs/webhooks.md describes the same scheme.</remarks>
public static class WebhookSignature
{
    /// <summary>The id of the delivery: the same on every attempt, so receivers can de-duplicate by it.</summary>
    public const string DeliveryHeader = "LeadScore-Delivery";

    /// <summary>When the request was signed, in Unix seconds.</summary>
    public const string TimestampHeader = "LeadScore-Timestamp";

    /// <summary><c>v1=</c> and 64 lowercase hex digits.</summary>
    public const string SignatureHeader = "LeadScore-Signature";

    private const string Version = "v1=";

    private const int HexLength = SHA256.HashSizeInBytes * 2;

    /// <summary>The value of <see cref="SignatureHeader"/> for a body sent at <paramref name="unixSeconds"/>.</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentOutOfRangeException.ThrowIfNegative(unixSeconds);
        Span<byte> mac = stackalloc byte[SHA256.HashSizeInBytes];
        Compute(secret, unixSeconds, body, mac);
        return Version + Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// Whether the headers sign <paramref name="body"/> with <paramref name="secret"/> and the timestamp
    /// is within <paramref name="tolerance"/> of <paramref name="now"/>, either way. Missing or garbled
    /// headers are false, not exceptions: they come from the network.
    /// </summary>
    public static bool Verify(
        string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero);

        // NumberStyles.None: digits only, so " 17", "+17" and "1e9" are garbled, not numbers.
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            return false;
        }

        // In seconds rather than DateTimeOffset: a huge timestamp must be stale, not an overflow.
        if (Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) > tolerance.Ticks / TimeSpan.TicksPerSecond)
        {
            return false;
        }

        if (signatureHeader is null
            || signatureHeader.Length != Version.Length + HexLength
            || !signatureHeader.StartsWith(Version, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[SHA256.HashSizeInBytes];
        var status = Convert.FromHexString(signatureHeader.AsSpan(Version.Length), given, out _, out var written);
        if (status != System.Buffers.OperationStatus.Done || written != given.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        Compute(secret, unixSeconds, body, expected);

        // Constant time: an early-exit comparison would tell an attacker how many leading bytes were right.
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static void Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body, Span<byte> mac)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        hmac.GetHashAndReset(mac);
    }
}
