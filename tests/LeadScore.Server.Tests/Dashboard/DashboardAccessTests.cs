using LeadScore.Server.Tests.Browser;
using OpenQA.Selenium;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// The dashboard with the keyboard, and with predictions in the API's answers (the prediction object
/// leads and scores carry once a predictive model is trained; injected here into the answers the page
/// receives, so the test does not wait for a training).
/// </summary>
public sealed class DashboardAccessTests(DemoFixture fixture) : IClassFixture<DemoFixture>
{
    /// <summary>Adds a prediction to every lead and score the page fetches, as the API does for contacts a predictive model has scored.</summary>
    private const string WithPredictions = """
        const realFetch = window.fetch;
        window.fetch = async (url, options) => {
          const response = await realFetch(url, options);
          const path = String(url);
          if (!response.ok || !(path.startsWith('/api/v1/leads') || /^\/api\/v1\/contacts\/[^/?]+\/scores$/.test(path))) return response;
          const body = await response.json();
          const made = (i) => ({ probability: 40 - i, tier: i < 3 ? 'very high' : 'medium', expectedValue: i === 1 ? null : 1000 + i,
                                 tierMeaning: i < 3 ? 'top quarter of leads (7% or more)' : 'top 50-75% of leads (1% to 2%)',
                                 raising: ['requested a demo 2 times'], lowering: ['no email opened in 30 days'],
                                 reasons: [{ text: 'requested a demo 2 times', direction: 'raises', points: 4.2 },
                                           { text: 'no email opened in 30 days', direction: 'lowers', points: -0.4 }],
                                 modelVersion: 1, predictedAt: '2026-11-23T00:00:00Z' });
          if (body.items) body.items.forEach((item, i) => { item.prediction = made(i); });
          else body.prediction = made(0);
          return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
        };
        """;

    private DemoServer Demo => fixture.Demo;

    [Fact]
    public async Task Keyboard_TabFromTheTop_ReachesTheSkipLinkWhichMovesFocusToTheContent()
    {
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, Demo.Address);

        await browser.RunAsync(async () =>
        {
            page.SignIn(Demo.AdminKey);
            var hash = new Uri(browser.Driver.Url).Fragment;
            browser.Driver.Navigate().Refresh();
            page.WaitFor("table.leads tbody tr", "the leads after a reload");
            new OpenQA.Selenium.Interactions.Actions(browser.Driver).SendKeys(Keys.Tab).Perform();

            var skip = browser.Driver.SwitchTo().ActiveElement();
            skip.Text.ShouldBe("Skip to content");
            skip.Displayed.ShouldBeTrue();
            skip.SendKeys(Keys.Enter);
            browser.WaitUntil(d => d.SwitchTo().ActiveElement().GetAttribute("id") == "main", "focus on the main content");
            new Uri(browser.Driver.Url).Fragment.ShouldBe(hash, "the skip link leaves the page's route alone");
            browser.Driver.SwitchTo().ActiveElement().SendKeys(Keys.Tab);
            browser.Driver.SwitchTo().ActiveElement().GetAttribute("name").ShouldBe("model", "the first control of the leads page is its model filter");
            await Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Leads_WhenTheApiGivesPredictions_ShowProbabilityPriorityItsMeaningAndSizedReasons()
    {
        using var browser = BrowserSession.Start();
        browser.AddInitScript(WithPredictions);
        var page = new DashboardPage(browser, Demo.Address);

        await browser.RunAsync(async () =>
        {
            page.SignIn(Demo.AdminKey);
            page.WaitForText("table.leads thead", "PREDICTION");
            var first = page.All("table.leads tbody tr")[0].FindElements(By.CssSelector("td.prediction")).Select(c => c.Text).ToList();
            var second = page.All("table.leads tbody tr")[1].FindElements(By.CssSelector("td.prediction")).Select(c => c.Text).ToList();
            first.ShouldBe(["40%", "very high", "1,000"]);
            second.ShouldBe(["39%", "very high", "–"]);
            page.Field("Priority tier").Displayed.ShouldBeTrue();
            page.Field("Sort").Text.ShouldContain("Probability, highest first");

            page.All("table.leads tbody tr span.tier")[0].GetAttribute("title").ShouldBe("top quarter of leads (7% or more)");

            page.All("table.leads tbody tr a")[0].Click();
            page.WaitForText("#prediction-title + p", "40%");
            page.WaitForText("#prediction-title + p", "very high, top quarter of leads (7% or more)");
            page.All("#prediction-title + p span.tier")[0].GetAttribute("title").ShouldBe("top quarter of leads (7% or more)");
            page.WaitForText(".factors", "requested a demo 2 times +4 pts");
            page.WaitForText(".factors", "no email opened in 30 days -0.4 pts");
            page.WaitForText(".factors", "Lowering it, compared with a typical lead");
            await Task.CompletedTask;
        });
    }
}
