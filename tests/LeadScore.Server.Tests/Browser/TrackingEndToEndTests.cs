using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Tests.Fixtures;

namespace LeadScore.Server.Tests.Browser;

/// <summary>
/// The whole capture path in a real Chromium: a site on loopback includes the snippet from a real
/// LeadScore server; a visitor browses, fills the marked form, and ends up as one scored contact.
/// </summary>
public sealed class TrackingEndToEndTests
{
    private const string Model = """
        {"key": "web", "target": "contact", "scale": 100, "encoding": "points",
         "categories": [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 50}],
         "rules": [{"key": "pages", "category": "engagement", "points": 5, "per": "occurrence", "maxPoints": 20, "event": {"type": "page_view"}},
                   {"key": "pricing", "category": "engagement", "points": 10, "event": {"type": "page_view", "where": {"field": "path", "eq": "/pricing"}}},
                   {"key": "form", "category": "engagement", "points": 20, "critical": true, "event": {"type": "form_submit"}},
                   {"key": "company", "category": "fit", "points": 10, "when": {"field": "company", "exists": true}}],
         "thresholds": [{"key": "mql", "points": 40}]}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Visitor_BrowsesAndSubmitsTheFormThenClicksTheirEmail_IsHeldApartThenJoinsTheContactWithTheJourneyAndAScore()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        await PostAsync(server.Client, "/api/v1/models", Model, HttpStatusCode.Created);
        await PostAsync(server.Client, "/api/v1/models/web/publish", "", HttpStatusCode.Accepted);
        await PutAsync(server.Client, "/api/v1/contacts/crm-ann", """{"email": "ann@example.com", "jobTitle": "VP Marketing"}""");
        var port = SitePages.FreePort();
        var site = await PostAsync(server.Client, "/api/v1/sites",
            $$"""{"name": "www", "origins": ["http://127.0.0.1:{{port}}"], "identify": {"traits": ["name", "company"]} }""", HttpStatusCode.Created);
        var key = site.GetProperty("site").GetProperty("key").GetString()!;
        var email = await PostAsync(server.Client, "/api/v1/tracking/email-links",
            $$"""{"contact": "crm-ann", "campaign": "nov", "url": "http://127.0.0.1:{{port}}/pricing"}""", HttpStatusCode.OK);
        await using var pages = await SitePages.StartAsync(server.Address, key, cancellationToken: Ct, port: port);
        using var browser = BrowserSession.Start();

        await browser.RunAsync(async () =>
        {
            browser.Open(pages.Url("/"));
            browser.Find("#pricing-link").Click();
            browser.WaitUntil(d => d.Title.StartsWith("Pricing", StringComparison.Ordinal), "the pricing page");
            browser.Find("#contact-link").Click();
            browser.WaitUntil(d => d.Title.StartsWith("Contact", StringComparison.Ordinal), "the contact page");
            browser.Find("input[name=name]").SendKeys("Ann Example");
            browser.Find("input[name=email]").SendKeys("ann@example.com");
            browser.Find("input[name=company]").SendKeys("Example GmbH");
            browser.Find("#send").Click();
            browser.WaitUntil(d => d.FindElements(OpenQA.Selenium.By.Id("thanks")).Count == 1, "the thanks page");
            var claims = await WaitForAsync(server.Client, "/api/v1/tracking/claims", c => c.GetProperty("claims").GetArrayLength() == 1);

            // Typing Ann's email is a claim, not a proof: her record is untouched until her own email's link says it is her.
            var claim = claims.GetProperty("claims")[0];
            claim.GetProperty("contact").GetString().ShouldBe("crm-ann");
            (await GetAsync(server.Client, "/api/v1/contacts/crm-ann/events")).GetProperty("events").GetArrayLength().ShouldBe(0);
            var visitor = claim.GetProperty("visitor").GetString()!;
            (await WaitForEventsAsync(server.Client, $"v-{visitor}", e => e.Contains("form_submit"))).Count(t => t == "page_view").ShouldBeGreaterThanOrEqualTo(3);

            browser.Open(new Uri(email.GetProperty("click").GetString()!));
            browser.WaitUntil(d => d.Title.StartsWith("Pricing", StringComparison.Ordinal), "the pricing page from the email");
            var events = await WaitForEventsAsync(server.Client, "crm-ann", e => e.Contains("form_submit") && e.Count(t => t == "page_view") >= 4);

            browser.Driver.Url.ShouldNotContain("ls_c", Case.Sensitive, "the snippet takes the proof out of the address bar");
            events.ShouldContain("session_start");
            events.ShouldContain("email_click");
            var contacts = await GetAsync(server.Client, "/api/v1/contacts");
            contacts.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ShouldBe(["crm-ann"], "the anonymous visitor was merged into the contact");
            var contact = await GetAsync(server.Client, "/api/v1/contacts/crm-ann");
            contact.ToString().ShouldContain("Example GmbH");
            contact.ToString().ShouldContain("VP Marketing");
            var score = (await GetAsync(server.Client, "/api/v1/contacts/crm-ann/scores")).ToString();
            score.ShouldContain("\"form\"");
            score.ShouldContain("\"pricing\"");
            score.ShouldContain("mql");
        });
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient client, string url, Func<JsonElement, bool> done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(BrowserSession.Patience);
        while (!timeout.IsCancellationRequested)
        {
            var body = await GetAsync(client, url);
            if (done(body))
            {
                return body;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"{url} did not reach the expected state.");
    }

    private static async Task<List<string>> WaitForEventsAsync(HttpClient client, string contact, Func<List<string>, bool> done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(BrowserSession.Patience);
        var types = new List<string>();
        while (!timeout.IsCancellationRequested)
        {
            using var response = await client.GetAsync($"/api/v1/contacts/{contact}/events", Ct);
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                types = [.. body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];
                if (done(types))
                {
                    return types;
                }
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Contact {contact} has events [{string.Join(", ", types)}], not yet the whole visit.");
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string url, string json, HttpStatusCode expected)
    {
        using var response = await client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(expected, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task PutAsync(HttpClient client, string url, string json)
    {
        using var response = await client.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
