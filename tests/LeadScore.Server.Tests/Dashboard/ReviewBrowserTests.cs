using System.Globalization;
using System.Text.Json;
using LeadScore.Server.Tests.Browser;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// The monthly review page in a real Chromium over the demo's data. On the small demo (300 contacts)
/// the review cannot confirm a proposal out of time, so it says to keep the published model and lists
/// what it would change; on a larger one (1,500 contacts) the proposal beats the published model out of
/// time, is shown with its out-of-time figures and backtest, saved as a draft and opened in the editor.
/// </summary>
public sealed class ReviewBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Review_OfTooFewOutcomesToConfirm_ShowsHealthAndCharts_AndSaysKeepThePublishedModel()
    {
        await using var demo = await DemoServer.StartAsync(DemoFixture.Contacts, Ct);
        await demo.Client.PostJsonAsync("/api/v1/models/balanced/reviews?since=90d&saveDraft=false", "", Ct);
        var review = await demo.Client.GetJsonAsync("/api/v1/models/balanced/review?since=90d", Ct);
        var health = review.GetProperty("report").GetProperty("health");
        review.GetProperty("proposal").ValueKind.ShouldBe(JsonValueKind.Null, "precondition: 300 demo contacts are too few to confirm a proposal");
        var unconfirmed = review.GetProperty("unconfirmed").GetProperty("changes").GetArrayLength();
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, demo.Address);

        await browser.RunAsync(() =>
        {
            page.SignIn(demo.AdminKey);
            page.Link("Review").Click();
            page.WaitForHeading("Monthly review");
            page.WaitForText("#proposal-refused", "needs at least 20 leads that converted");
            page.WaitForText("#proposal-refused", "the last 90 days");
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

            page.WaitForText("#proposal-refused", "Keep the published model");
            page.Find("#proposal-refused").Text.ShouldContain("out of time");
            page.Find("#proposal-refused").Text.ShouldNotContain("--since 90d", Case.Sensitive, "it never suggests the period already reviewed");
            page.All("ul.changes.unconfirmed li").Count.ShouldBe(unconfirmed);
            page.All("#save-proposal").Count.ShouldBe(0, "an unconfirmed proposal cannot be saved as a draft");
            page.All("#low-score-converters .lead-ids a").Count.ShouldBeGreaterThan(0);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Review_ConfirmedOutOfTime_ShowsTheFiguresAndBacktest_SavesTheProposalAsADraft_AndTheEditorBacktestsIt()
    {
        await using var demo = await DemoServer.StartAsync(1500, Ct);
        await demo.Client.PostJsonAsync("/api/v1/models/balanced/reviews?since=90d&saveDraft=false", "", Ct);
        var review = await demo.Client.GetJsonAsync("/api/v1/models/balanced/review?since=90d", Ct);
        var proposal = review.GetProperty("proposal");
        proposal.ValueKind.ShouldBe(JsonValueKind.Object, "precondition: 1,500 demo contacts confirm the proposal out of time");
        review.GetProperty("validation").GetProperty("confirmed").GetBoolean().ShouldBeTrue();
        var backtest = proposal.GetProperty("backtest");
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, demo.Address);

        await browser.RunAsync(async () =>
        {
            page.SignIn(demo.AdminKey);
            page.Link("Review").Click();
            page.WaitForHeading("Monthly review");
            page.Choose("Period", "Last 90 days");
            page.WaitForText("#health .period", "(90 days)");
            page.WaitForText("#proposal", review.GetProperty("validation").GetProperty("verdict").GetString()!);
            page.All("table.out-of-time tbody tr").Count.ShouldBe(review.GetProperty("validation").GetProperty("folds").GetArrayLength());
            page.All("ul.changes li").Count.ShouldBe(proposal.GetProperty("changes").GetArrayLength());
            page.Find("#proposal tr[data-measure='auc'] td.published").Text.ShouldBe(Auc(backtest.GetProperty("published")));
            page.Find("#proposal tr[data-measure='auc'] td.draft").Text.ShouldBe(Auc(backtest.GetProperty("draft")));
            page.WaitForText("#proposal #moved-in .moved-count", $"{backtest.GetProperty("movedIn").GetProperty("count").GetInt32()} leads");
            page.All("#proposal table.threshold-lists tbody tr").Count.ShouldBe(backtest.GetProperty("lists").GetArrayLength());
            page.All("#proposal table.threshold-lists tr.unreachable").Count.ShouldBe(0, "a proposal keeps every threshold reachable");

            page.Button("Save as draft").Click();
            page.WaitForText("#save-proposal-status", "Saved as draft v2 of balanced.");
            var versions = (await demo.Client.GetJsonAsync("/api/v1/models/balanced", Ct)).GetProperty("versions");
            versions.EnumerateArray().ShouldContain(v => v.GetProperty("version").GetInt32() == 2 && v.GetProperty("status").GetString() == "draft");
            page.Link("Open v2 in the model editor").Click();
            page.WaitForHeading("Model balanced");
            page.WaitForText(".version-info", "Editing from v2 (draft");
            page.WaitForText("#publish-hint", "Over the last 90 days this draft changes MQL");
            page.Link("Models").Click();
            page.WaitForText("table.models tr[data-model='balanced']", "v2 draft");

            page.Link("Review").Click();
            page.WaitFor("table.stored-reviews tbody th a", "the stored review").Click();
            page.WaitForText("#stored-notice", "Stored review 1 of balanced v1");
            page.WaitForText("#stored-notice", "(on request)");
            page.WaitForText("#health .period", "(90 days)");
        });
    }

    private static string Auc(JsonElement side) =>
        side.GetProperty("auc").GetDouble().ToString("0.000", CultureInfo.InvariantCulture);
}
