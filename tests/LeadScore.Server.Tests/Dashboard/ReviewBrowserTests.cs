using System.Globalization;
using LeadScore.Server.Tests.Browser;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// The monthly review page in a real Chromium over the demo's data: the health, the three charts, the
/// proposal and its backtest as the API computes them, the proposal saved as a draft, and a stored
/// review opened from the list. The demo has too few converters in 30 days for a proposal (the API
/// refuses one and says why), so it reviews 90.
/// </summary>
public sealed class ReviewBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Review_Of90Days_ShowsHealthChartsAndProposal_AndSavesTheProposalAsADraft()
    {
        await using var demo = await DemoServer.StartAsync(DemoFixture.Contacts, Ct);
        await demo.Client.PostJsonAsync("/api/v1/models/balanced/reviews?since=90d&saveDraft=false", "", Ct);
        var review = await demo.Client.GetJsonAsync("/api/v1/models/balanced/review?since=90d", Ct);
        var health = review.GetProperty("report").GetProperty("health");
        var proposal = review.GetProperty("proposal");
        var backtest = proposal.GetProperty("backtest");
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, demo.Address);

        await browser.RunAsync(async () =>
        {
            page.SignIn(demo.AdminKey);
            page.Link("Review").Click();
            page.WaitForHeading("Monthly review");
            page.WaitForText("#proposal-refused", "needs at least 20 leads that converted");
            page.WaitForText("table.stored-reviews caption", "1 stored review of balanced");

            page.Choose("Period", "Last 90 days");
            page.WaitForText("#health .period", "(90 days)");
            page.Link("HTML").GetAttribute("href")!.ShouldEndWith("/api/v1/models/balanced/review?since=90d&format=html");
            page.Find("#verdict").Text.ShouldContain(health.GetProperty("verdict").GetString()!);
            page.Find("#auc").Text.ShouldStartWith(Auc(health));
            var charts = page.All("#charts svg.chart");
            charts.Count.ShouldBe(3);
            charts[0].GetAttribute("aria-label")!.ShouldStartWith("Score distribution as shares of each group");
            charts[1].GetAttribute("aria-label")!.ShouldStartWith("Lift by decile");
            charts[2].GetAttribute("aria-label")!.ShouldStartWith("Conversion rate per points band");
            page.All("#charts svg.chart rect.bar").Count.ShouldBeGreaterThan(20);
            page.All("ul.changes li").Count.ShouldBe(proposal.GetProperty("changes").GetArrayLength());
            page.Find("#proposal tr[data-measure='auc'] td.published").Text.ShouldBe(Auc(backtest.GetProperty("published")));
            page.Find("#proposal tr[data-measure='auc'] td.draft").Text.ShouldBe(Auc(backtest.GetProperty("draft")));
            page.WaitForText("#proposal #moved-in .moved-count", $"{backtest.GetProperty("movedIn").GetProperty("count").GetInt32()} leads");
            page.All("#low-score-converters .lead-ids a").Count.ShouldBeGreaterThan(0);

            page.Button("Save as draft").Click();
            page.WaitForText("#save-proposal-status", "Saved as draft v2 of balanced.");
            var versions = (await demo.Client.GetJsonAsync("/api/v1/models/balanced", Ct)).GetProperty("versions");
            versions.EnumerateArray().ShouldContain(v => v.GetProperty("version").GetInt32() == 2 && v.GetProperty("status").GetString() == "draft");
            page.Link("Open v2 in the model editor").Click();
            page.WaitForHeading("Model balanced");
            page.WaitForText(".version-info", "Editing from v2 (draft");
            page.Link("Models").Click();
            page.WaitForText("table.models tr[data-model='balanced']", "v2 draft");

            page.Link("Review").Click();
            page.WaitFor("table.stored-reviews tbody th a", "the stored review").Click();
            page.WaitForText("#stored-notice", "Stored review 1 of balanced v1");
            page.WaitForText("#stored-notice", "(on request)");
            page.WaitForText("#health .period", "(90 days)");
        });
    }

    private static string Auc(System.Text.Json.JsonElement side) =>
        side.GetProperty("auc").GetDouble().ToString("0.000", CultureInfo.InvariantCulture);
}
