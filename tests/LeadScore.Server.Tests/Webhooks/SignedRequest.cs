using System.Text;
using LeadScore.Server.Webhooks;

namespace LeadScore.Server.Tests.Webhooks;

/// <summary>Webhook requests as LeadScore sends them, for tests that talk to a <see cref="WebhookReceiver"/> directly.</summary>
internal static class SignedRequest
{
    public static HttpRequestMessage Create(Uri url, string secret, string deliveryId, string body, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, signature ?? WebhookSignature.Sign(secret, timestamp, bytes));
        return request;
    }

    /// <summary>A client that goes straight to the receiver (no proxy from the environment) on a new connection each time.</summary>
    public static HttpClient DirectClient() =>
        new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });
}
