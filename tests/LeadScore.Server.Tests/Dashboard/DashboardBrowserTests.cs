using LeadScore.Server.Tests.Browser;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// The dashboard in a real Chromium against a real server over generated data: what a marketing or
/// sales user sees when they sign in, filter the leads, read a lead and sign out. These tests only
/// read, so they share one server; the model editor, which publishes, has its own.
/// </summary>
public sealed class DashboardBrowserTests(DemoFixture fixture) : IClassFixture<DemoFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DemoServer Demo => fixture.Demo;

    [Fact]
    public async Task SignIn_WithAnUnknownKeyThenTheAdminKey_SaysWhyThenShowsTheRankedLeads()
    {
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, Demo.Address);

        await browser.RunAsync(async () =>
        {
            page.Open();
            page.WaitForHeading("Sign in");
            DashboardPage.TypeInto(page.Field("API key"), "lsk_nope_nothing");
            page.Button("Sign in").Click();
            page.WaitForText("#signin-error", "unknown or was revoked");
            page.SignIn(Demo.AdminKey);

            var cookie = browser.CookieNamed("leadscore_session");
            cookie.ShouldNotBeNull();
            cookie.IsHttpOnly.ShouldBeTrue();
            cookie.SameSite.ShouldBe("Strict");
            var top = (await Demo.Client.GetJsonAsync("/api/v1/leads?limit=1", Ct)).GetProperty("items")[0];
            var firstRow = page.WaitFor("table.leads tbody tr", "the first lead");
            firstRow.GetAttribute("data-lead").ShouldBe(top.GetProperty("recordId").GetString());
            firstRow.Text.ShouldContain(top.GetProperty("score").GetInt32().ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            page.All("table.leads tbody tr").Count.ShouldBe(25);
            page.WaitForText("table.leads caption", "Leads 1–25 under balanced v1");
        });
    }

    [Fact]
    public async Task Leads_ByDefault_AreOpenLeadsInPriorityOrder_AndCustomersShowOnlyWhenAskedMarkedAsSuch()
    {
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, Demo.Address);
        var open = (await Demo.Client.GetJsonAsync("/api/v1/leads?limit=100", Ct)).GetProperty("items").EnumerateArray().ToList();
        var customer = (await Demo.Client.GetJsonAsync("/api/v1/leads?status=converted&limit=1", Ct)).GetProperty("items")[0];
        var customerId = customer.GetProperty("recordId").GetString()!;

        // Whom to call first: no customer, qualified leads before the others, more points first among them.
        open.ShouldAllBe(lead => lead.GetProperty("status").GetString() == "open");
        var order = open.Select(lead => (Qualified: lead.GetProperty("qualified").GetBoolean(), Points: lead.GetProperty("points").GetInt32())).ToList();
        order.ShouldBe(order.OrderByDescending(o => o.Qualified).ThenByDescending(o => o.Points));
        customer.GetProperty("status").GetString().ShouldBe("converted");

        await browser.RunAsync(async () =>
        {
            page.SignIn(Demo.AdminKey);
            page.WaitFor("table.leads tbody tr", "the first lead").GetAttribute("data-lead").ShouldBe(open[0].GetProperty("recordId").GetString());
            page.All(".badge.status").ShouldBeEmpty();

            page.Choose("Status", "Converted (customers)");
            browser.WaitUntil(d => d.Url.Contains("status=converted", StringComparison.Ordinal), "the status in the address");
            page.WaitForText($"tr[data-lead='{customerId}'] .badge.status", "customer");
            await Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Leads_FilteredByGradeThenSearchedByName_ShowOnlyTheMatchingLeads()
    {
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, Demo.Address);
        var gradeC = (await Demo.Client.GetJsonAsync("/api/v1/leads?grade=C&limit=1000", Ct)).GetProperty("items");
        var target = gradeC[gradeC.GetArrayLength() - 1].GetProperty("recordId").GetString()!;
        var name = await Demo.Client.ContactNameAsync(target, Ct);

        await browser.RunAsync(async () =>
        {
            page.SignIn(Demo.AdminKey);
            page.Choose("Grade", "C");
            browser.WaitUntil(d => d.Url.Contains("grade=C", StringComparison.Ordinal), "the grade in the address");
            browser.WaitUntil(d => page.All("table.leads tbody tr").Count == Math.Min(25, gradeC.GetArrayLength())
                && page.All("table.leads tbody tr td:nth-of-type(2)").All(cell => cell.Text == "C"), "only grade C leads");

            DashboardPage.TypeInto(page.Field("Search"), name);
            page.WaitForOnlyLeads(target);
            page.WaitForText("table.leads tbody tr", name);
            page.Field("Grade").GetAttribute("value").ShouldBe("C");
            await Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Lead_OpenedFromTheList_ShowsItsPointsPerCategoryAndRuleAgainstTheBudgets()
    {
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, Demo.Address);
        var lead = await Demo.Client.LeadWithRuleAsync("enterprise", Ct);
        var id = lead.GetProperty("recordId").GetString()!;
        var name = await Demo.Client.ContactNameAsync(id, Ct);
        var explanation = lead.GetProperty("explanation");

        await browser.RunAsync(async () =>
        {
            page.SignIn(Demo.AdminKey);
            DashboardPage.TypeInto(page.Field("Search"), id);
            page.WaitForOnlyLeads(id);
            page.WaitForText($"tr[data-lead='{id}']", name);
            page.Link(name).Click();
            page.WaitForHeading(name);

            page.WaitForText(".big-score", lead.GetProperty("score").GetInt32().ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            page.WaitForText("[data-category='target-market'] h3", $"{explanation.GetProperty("categories").GetProperty("target-market").GetInt32()} / 25");
            page.WaitForText("[data-category='critical'] h3", $"{explanation.GetProperty("categories").GetProperty("critical").GetInt32()} / 25");
            page.WaitForText("[data-category='target-market'] tr[data-rule='enterprise']", "12");
            page.Find("[data-category='target-market'] svg.meter").GetAttribute("aria-label").ShouldBe(
                $"target-market: {explanation.GetProperty("categories").GetProperty("target-market").GetInt32()} of 25 points");
            page.WaitForText(".verdict", explanation.GetProperty("qualified").GetBoolean() ? "Qualified" : "Not qualified");
            page.WaitForText("#history-title", "Score history");
            page.Find("svg.history").GetAttribute("aria-label")!.ShouldContain("Points over time");
            page.WaitForText("#timeline-title", "Activity (");
            page.All(".timeline li").Count.ShouldBeGreaterThan(0);
            page.WaitForText("#runs-title", "Automations that fired");
            await Task.CompletedTask;
        });
    }

    [Fact]
    public async Task SignOut_ClearsTheCookie_AndTheDashboardAsksForAKeyAgain()
    {
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, Demo.Address);

        await browser.RunAsync(async () =>
        {
            page.SignIn(Demo.AdminKey);
            page.Button("Sign out").Click();
            page.WaitForHeading("Sign in");
            page.WaitForText(".notice", "You are signed out.");

            browser.WaitUntil(d => browser.CookieNamed("leadscore_session") is null, "the session cookie to go");
            page.Open("#/models");
            page.WaitForHeading("Sign in");
            page.Find("#nav").Displayed.ShouldBeFalse();
            await Task.CompletedTask;
        });
    }

    [Fact]
    public async Task RevokedKey_WhileSignedIn_SendsTheUserBackToSignInSayingWhy()
    {
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, Demo.Address);
        var key = await Demo.Server.CreateKeyAsync(LeadScore.Storage.Records.ApiKeyScope.Read, Ct);

        await browser.RunAsync(async () =>
        {
            page.SignIn(key);
            using var revoked = await Demo.Client.DeleteAsync($"/api/v1/keys/{key.Split('_')[1]}", Ct);
            revoked.IsSuccessStatusCode.ShouldBeTrue();
            page.Open("#/models");

            page.WaitForHeading("Sign in");
            page.WaitForText(".notice", "unknown or was revoked; sign in again");
            browser.WaitUntil(d => browser.CookieNamed("leadscore_session") is null, "the dead cookie to be cleared");
        });
    }

    [Fact]
    public async Task ApiRefusal_IsShownWithTheProblemsDetail_AndAReadKeyCannotSave()
    {
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, Demo.Address);
        var key = await Demo.Server.CreateKeyAsync(LeadScore.Storage.Records.ApiKeyScope.Read, Ct);

        await browser.RunAsync(async () =>
        {
            page.SignIn(key);
            page.Open("#/leads?sort=bogus");
            page.WaitForText(".error-box", "sort 'bogus' is not one of");

            page.Open("#/models/balanced");
            page.WaitForText("#validation-status", "Valid");
            page.WaitForText(".version-info", "Your key is read-only");
            page.Button("Save draft").Enabled.ShouldBeFalse();
            page.Open("#/settings");
            page.WaitForText("main", "managing keys needs an admin key");
            await Task.CompletedTask;
        });
    }
}
