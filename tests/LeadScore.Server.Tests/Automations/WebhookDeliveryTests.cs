using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Server.Tests.Webhooks;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Server.Tests.Automations;

/// <summary>
/// Webhooks end to end: a real server sends to a real receiver on 127.0.0.1 (allow-listed here) that
/// fails its first answers, then goes down, then comes back, while the server itself restarts.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private const string Model = """
        {"key": "m", "target": "contact", "scale": 100, "encoding": "points",
         "categories": [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 50}],
         "rules": [{"key": "demo", "category": "engagement", "points": 40, "event": {"type": "demo_requested"}},
                   {"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 10, "event": {"type": "email_open"}}],
         "thresholds": [{"key": "mql", "points": 50}]}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Retries in a fraction of a second, so the whole story plays out in seconds.</summary>
    private static ServerOptions Fast(string connection) => new()
    {
        Connection = connection,
        WebhookAllowedNetworks = ["127.0.0.1/32"],
        WebhookFirstRetryDelay = TimeSpan.FromMilliseconds(100),
        WebhookMaxRetryDelay = TimeSpan.FromMilliseconds(400),
        WebhookTimeout = TimeSpan.FromSeconds(5),
        DeliveryPollInterval = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task Webhooks_ReceiverFailsGoesDownAndComesBackWhileTheServerRestarts_EveryCrossingArrivesOnceAndSigned()
    {
        using var database = new SqliteFile();
        await using var receiver = await WebhookReceiver.StartAsync("not yet known", cancellationToken: Ct);
        var server = await RunningServer.StartAsync(Fast(database.Path), null, Ct);
        var adminKey = server.AdminKey;
        await PublishAsync(server.Client);
        var created = await PostAsync(server.Client, "/api/v1/automations", $$"""
            {"name": "MQL to CRM", "model": "m", "trigger": {"type": "score-above", "threshold": "mql"},
             "actions": [{"type": "webhook", "url": "{{receiver.Url}}"}]}
            """, HttpStatusCode.Created);
        receiver.Secret = created.GetProperty("secret").GetString()!;

        receiver.FailNext(3);
        await CrossAsync(server.Client, "c0", "c1", "c2", "c3", "c4");
        await receiver.WaitForDeliveredAsync(5, TimeSpan.FromSeconds(60), Ct);
        await receiver.GoDownAsync();
        await CrossAsync(server.Client, "c5", "c6", "c7", "c8", "c9");
        await WaitForFailedAttemptsAsync(server.Client, 5);
        await server.DisposeAsync();
        await receiver.ComeBackAsync(Ct);
        server = await RunningServer.StartAsync(Fast(database.Path), null, Ct, adminKey);
        await CrossAsync(server.Client, "c10", "c11", "c12", "c13", "c14");
        await CrossAsync(server.Client, "c0", "c5", "c10");
        var received = await receiver.WaitForDeliveredAsync(15, TimeSpan.FromSeconds(60), Ct);
        var log = await WaitForDeliveredAsync(server.Client, 15);
        await server.DisposeAsync();

        received.ShouldAllBe(r => r.SignatureValid);
        received.Count(r => r.AnsweredStatus == 500).ShouldBe(3);
        var delivered = received.Where(r => r.Delivered).GroupBy(r => r.DeliveryId).Select(g => g.First()).ToList();
        var contacts = delivered.Select(r => ContactOf(r.Body)).ToList();
        contacts.Order(StringComparer.Ordinal).ShouldBe(Enumerable.Range(0, 15).Select(i => $"c{i}").Order(StringComparer.Ordinal));
        var items = log.GetProperty("items").EnumerateArray().ToList();
        items.Count.ShouldBe(15);
        items.Count(d => d.GetProperty("attempts").GetInt32() > 1).ShouldBeGreaterThanOrEqualTo(5);
    }

    [Fact]
    public async Task Webhooks_SlowReceiver_DoesNotSlowIngestion()
    {
        using var database = new SqliteFile();
        await using var receiver = await WebhookReceiver.StartAsync("not yet known", cancellationToken: Ct);
        await using var server = await RunningServer.StartAsync(Fast(database.Path) with { WebhookTimeout = TimeSpan.FromMinutes(2) }, null, Ct);
        await PublishAsync(server.Client);
        var created = await PostAsync(server.Client, "/api/v1/automations", $$"""
            {"name": "MQL to CRM", "model": "m", "trigger": {"type": "score-above", "threshold": "mql"},
             "actions": [{"type": "webhook", "url": "{{receiver.Url}}"}]}
            """, HttpStatusCode.Created);
        receiver.Secret = created.GetProperty("secret").GetString()!;
        receiver.Hold();
        await CrossAsync(server.Client, "c0");
        await receiver.WaitUntilHoldingAsync(TimeSpan.FromSeconds(60), Ct);

        // While the receiver holds the first call, more leads cross and are scored at once.
        for (var i = 1; i <= 5; i++)
        {
            await CrossAsync(server.Client, $"c{i}");
            (await GetAsync(server.Client, $"/api/v1/contacts/c{i}/scores")).ToString().ShouldContain("mql");
        }

        receiver.Received.ShouldBeEmpty("the first call is still held: every lead above was scored while it waited");
        receiver.Release();
        var received = await receiver.WaitForDeliveredAsync(6, TimeSpan.FromSeconds(60), Ct);
        received.ShouldAllBe(r => r.SignatureValid);
    }

    private static string ContactOf(string body)
    {
        using var payload = JsonDocument.Parse(body);
        return payload.RootElement.GetProperty("contact").GetProperty("id").GetString()!;
    }

    /// <summary>Takes each contact over the MQL threshold (a demo and five opens); again for one above it changes nothing.</summary>
    private static async Task CrossAsync(HttpClient client, params string[] contacts)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        var events = contacts.SelectMany(c => new[] { "demo_requested", "email_open", "email_open", "email_open", "email_open", "email_open" }
            .Select(type => new { id = Guid.NewGuid().ToString(), contact = c, type, occurredAt = at }));
        using var response = await client.PostAsJsonAsync("/api/v1/events/batch", events, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>The delivery log once it records <paramref name="count"/> deliveries, all delivered (the receiver answers before the server records it).</summary>
    private static async Task<JsonElement> WaitForDeliveredAsync(HttpClient client, int count)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var log = await GetAsync(client, "/api/v1/deliveries?limit=100");
            var items = log.GetProperty("items").EnumerateArray().ToList();
            if (items.Count >= count && items.All(d => d.GetProperty("state").GetString() == "delivered"))
            {
                return log;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    private static async Task WaitForFailedAttemptsAsync(HttpClient client, int deliveries)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var pending = await GetAsync(client, "/api/v1/deliveries?state=pending&limit=100");
            if (pending.GetProperty("items").EnumerateArray().Count(d => d.GetProperty("attempts").GetInt32() > 0) >= deliveries)
            {
                return;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    private static async Task PublishAsync(HttpClient client)
    {
        await PostAsync(client, "/api/v1/models", Model, HttpStatusCode.Created);
        var job = await PostAsync(client, "/api/v1/models/m/publish", "", HttpStatusCode.Accepted);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while ((await GetAsync(client, $"/api/v1/jobs/{job.GetProperty("id").GetInt64()}")).GetProperty("state").GetString() != "completed")
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string url, string json, HttpStatusCode expected)
    {
        using var response = await client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(expected, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
