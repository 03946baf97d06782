using System.Text.Json;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>One demo server (300 contacts) shared by the tests of a class that only read.</summary>
public sealed class DemoFixture : IAsyncLifetime
{
    public const int Contacts = 300;

    private DemoServer? _demo;

    public DemoServer Demo => _demo ?? throw new InvalidOperationException("The fixture has not started.");

    public async ValueTask InitializeAsync() => _demo = await DemoServer.StartAsync(Contacts, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }
    }
}

/// <summary>Reads from the API what the dashboard should show, to compare with what it does show.</summary>
internal static class ApiReads
{
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string url, string json, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue($"POST {url}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The first lead of the ranked list whose explanation has a points line for <paramref name="rule"/>.</summary>
    public static async Task<JsonElement> LeadWithRuleAsync(this HttpClient client, string rule, CancellationToken cancellationToken)
    {
        var leads = await client.GetJsonAsync("/api/v1/leads?limit=200", cancellationToken);
        return leads.GetProperty("items").EnumerateArray().First(lead =>
            lead.GetProperty("explanation").GetProperty("rules").EnumerateArray().Any(line => line.GetProperty("rule").GetString() == rule));
    }

    public static async Task<string> ContactNameAsync(this HttpClient client, string id, CancellationToken cancellationToken)
    {
        var fields = (await client.GetJsonAsync($"/api/v1/contacts/{id}", cancellationToken)).GetProperty("fields");
        return $"{fields.GetProperty("firstName").GetString()} {fields.GetProperty("lastName").GetString()}";
    }
}
