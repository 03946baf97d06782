using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Tests.Browser;
using LeadScore.Storage.Records;
using OpenQA.Selenium;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// The Sources page in a real Chromium: the event names a source sent with the type each becomes,
/// an admin's mapping edits refused while a type is invalid, then saved as version 1 and applied to
/// the next event; a read key sees the names but cannot save.
/// </summary>
public sealed class SourcesBrowserTests
{
    private const string FirstBatch = """
        {"batch": [
          {"type": "track", "userId": "u1", "event": "Demo Requested", "messageId": "m1"},
          {"type": "track", "userId": "u2", "event": "Demo Requested", "messageId": "m2"},
          {"type": "track", "userId": "u1", "event": "Pricing Viewed", "messageId": "m3"},
          {"type": "track", "userId": "u1", "event": "Heartbeat", "messageId": "m4"}
        ]}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EventMapping_InvalidTypeRefused_ThenIgnoreAndRenameSaved_AsVersion1_AndTheNextEventIsStoredUnderTheNewType()
    {
        await using var demo = await DemoServer.StartAsync(100, Ct);
        using var source = SourceClient(demo, await CreateSourceAsync(demo, "web"));
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, demo.Address);

        await browser.RunAsync(async () =>
        {
            page.SignIn(demo.AdminKey);
            page.Link("Sources").Click();
            page.WaitForHeading("Sources");
            page.WaitForText("#names-section", "No event received from a source yet.");
            page.WaitForText("#names-section", "docs/integrations/segment.md");
            page.WaitForText("#mapping-version", "No mapping saved yet");
            var sources = (await demo.Client.GetJsonAsync("/api/v1/sources", Ct)).GetProperty("sources")[0];
            var sourceRow = page.WaitFor($"tr[data-source='{sources.GetProperty("id").GetString()}']", "the source made through the API");
            sourceRow.Text.ShouldContain(sources.GetProperty("segmentWebhookUrl").GetString()!);
            sourceRow.Text.ShouldContain(sources.GetProperty("rudderStackWebhookUrl").GetString()!);

            await SendAsync(source, FirstBatch);
            page.Link("Leads").Click();
            page.WaitForHeading("Leads");
            page.Link("Sources").Click();
            page.WaitForHeading("Sources");
            page.WaitFor(Row("Heartbeat"), "the Heartbeat row");
            page.All("table.event-names tbody tr").Select(r => r.GetAttribute("data-name")).ToList()[0].ShouldBe("Demo Requested", "most frequent first");
            page.Find(Row("Demo Requested") + " td.num").Text.ShouldBe("2");
            TypeOf(page, "Demo Requested").ShouldBe("demo_requested");
            page.Find(Row("Demo Requested") + " td.why").Text.ShouldBe("built-in");
            TypeOf(page, "Pricing Viewed").ShouldBe("pricing_viewed");
            page.Find(Row("Pricing Viewed") + " td.why").Text.ShouldBe("default");
            TypeOf(page, "Heartbeat").ShouldBe("heartbeat");

            var pricing = page.Find(Row("Pricing Viewed") + " input.type-input");
            DashboardPage.Retype(pricing, "Pricing Page");
            page.WaitForText(Row("Pricing Viewed") + " .type-message", "Use lowercase letters, digits and '_', such as pricing_page.");
            pricing.GetAttribute("aria-invalid").ShouldBe("true");
            page.Button("Save mapping").Click();
            page.WaitForText("#mapping-problems", "Not saved: fix the type of Pricing Viewed first.");
            (await demo.Client.GetJsonAsync("/api/v1/sources/event-mapping", Ct)).GetProperty("version").GetInt32().ShouldBe(0, "nothing was saved");

            DashboardPage.Retype(pricing, "pricing_page_view");
            browser.WaitUntil(_ => page.Find(Row("Pricing Viewed") + " .type-message").Text.Length == 0, "the type's message to go");
            page.Find(Row("Heartbeat") + " input[type=checkbox]").Click();
            page.Find(Row("Heartbeat") + " input.type-input").Enabled.ShouldBeFalse("an ignored name has no type");
            page.Button("Save mapping").Click();
            page.WaitForText("#mapping-status", "Saved: mapping version 1.");
            page.WaitForText(Row("Heartbeat") + " td.why", "ignored");
            page.WaitForText(Row("Pricing Viewed") + " td.why", "workspace");
            page.WaitForText("#mapping-version", "Mapping version 1");
            page.WaitForText("table.mapping-versions tr[data-version='1']", "Pricing Viewed → pricing_page_view");
            page.All("#mapping-problems li").Count.ShouldBe(0);

            var mapping = await demo.Client.GetJsonAsync("/api/v1/sources/event-mapping", Ct);
            mapping.GetProperty("version").GetInt32().ShouldBe(1);
            var events = mapping.GetProperty("events");
            events.EnumerateObject().Select(p => p.Name).Order().ShouldBe(["Heartbeat", "Pricing Viewed"]);
            events.GetProperty("Heartbeat").ValueKind.ShouldBe(JsonValueKind.Null);
            events.GetProperty("Pricing Viewed").GetString().ShouldBe("pricing_page_view");

            await SendAsync(source, """{"batch": [{"type": "track", "userId": "u3", "event": "Pricing Viewed", "messageId": "m5"}]}""");
            var stored = (await demo.Client.GetJsonAsync("/api/v1/contacts/u3/events", Ct)).GetProperty("events");
            stored.EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldBe(["pricing_page_view"]);

            DashboardPage.TypeInto(page.Field("Source name"), "rudder");
            page.Button("Create source").Click();
            browser.WaitUntil(_ => page.All("#new-write-key").FirstOrDefault()?.GetDomProperty("value") is { Length: > 0 }, "the new write key, shown once");
            page.WaitForText("table.sources", "rudder");
            (await demo.Client.GetJsonAsync("/api/v1/sources", Ct)).GetProperty("sources").GetArrayLength().ShouldBe(2);
        });
    }

    [Fact]
    public async Task EventNames_ForAReadKey_AreShownWithTheirTypes_WithoutASaveButtonOrTheSources()
    {
        await using var demo = await DemoServer.StartAsync(100, Ct);
        using (var source = SourceClient(demo, await CreateSourceAsync(demo, "web")))
        {
            await SendAsync(source, FirstBatch);
        }

        var key = await demo.Server.CreateKeyAsync(ApiKeyScope.Read, Ct);
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, demo.Address);

        await browser.RunAsync(() =>
        {
            page.SignIn(key);
            page.Link("Sources").Click();
            page.WaitForHeading("Sources");
            page.WaitForText(Row("Demo Requested") + " td.type", "demo_requested");
            page.Find(Row("Pricing Viewed") + " td.type").Text.ShouldBe("pricing_viewed");
            page.Find(Row("Heartbeat") + " td.why").Text.ShouldBe("default");
            page.WaitForText("#names-section", "saving it needs an admin key");
            page.All("input.type-input").Count.ShouldBe(0);
            page.Driver.FindElements(By.XPath("//button[normalize-space()='Save mapping']")).Count.ShouldBe(0);
            page.WaitForText("main", "managing sources needs an admin key");
            page.All("table.sources").Count.ShouldBe(0);
            return Task.CompletedTask;
        });
    }

    private static string Row(string name) => $"table.event-names tr[data-name='{name}']";

    private static string? TypeOf(DashboardPage page, string name) => page.Find(Row(name) + " input.type-input").GetDomProperty("value");

    private static async Task<string> CreateSourceAsync(DemoServer demo, string name)
    {
        var created = await demo.Client.PostJsonAsync("/api/v1/sources", $$"""{"name": "{{name}}"}""", Ct);
        return created.GetProperty("writeKey").GetString()!;
    }

    /// <summary>A client that sends the write key as the Segment SDKs do: HTTP Basic, the key as user name, no password.</summary>
    private static HttpClient SourceClient(DemoServer demo, string writeKey)
    {
        var client = new HttpClient { BaseAddress = demo.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return client;
    }

    private static async Task SendAsync(HttpClient source, string batch)
    {
        var answer = await source.PostJsonAsync("/v1/batch", batch, Ct);
        answer.GetProperty("success").GetBoolean().ShouldBeTrue();
    }
}
