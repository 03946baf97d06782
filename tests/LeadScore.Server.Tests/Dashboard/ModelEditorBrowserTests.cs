using System.Globalization;
using LeadScore.Server.Tests.Browser;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// The model editor in a real Chromium: a draft broken, the error shown at its rule, fixed, saved,
/// published, and a lead's score moved; a draft backtested against the published version.
/// </summary>
public sealed class ModelEditorBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ModelDraft_BrokenFixedAndPublished_ShowsTheErrorAtItsRuleThenChangesALeadsScore()
    {
        await using var demo = await DemoServer.StartAsync(200, Ct);
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, demo.Address);
        var lead = await demo.Client.LeadWithRuleAsync("enterprise", Ct);
        var id = lead.GetProperty("recordId").GetString()!;
        var before = lead.GetProperty("score").GetInt32();

        await browser.RunAsync(async () =>
        {
            page.SignIn(demo.AdminKey);
            page.Link("Models").Click();
            page.WaitForHeading("Models");
            page.Link("balanced").Click();
            page.WaitForHeading("Model balanced");
            page.WaitForText("#validation-status", "Valid: no errors, no warnings.");
            page.Find("svg.split").GetAttribute("aria-label")!.ShouldStartWith("Budgets: fit 50, engagement 50");

            // Break it: rule 4 ("revenue") renamed to the key of rule 3.
            DashboardPage.Retype(page.Find("#rule-3 input[type=text]"), "enterprise");
            page.WaitForText("#validation-status", "1 error");
            page.WaitForText("#rule-3 .messages li.error", "enterprise");
            page.WaitForText("#rule-3 .messages li.error", "$.rules[3].key");
            page.All("#rule-2 .messages li").Count.ShouldBe(0, "the error is at the renamed rule, not at the one it copies");
            page.Button("Save draft").Enabled.ShouldBeFalse("an invalid draft cannot be saved");

            // Fix it, and halve the enterprise rule's points.
            DashboardPage.Retype(page.Find("#rule-3 input[type=text]"), "revenue");
            DashboardPage.Retype(page.Find("#rule-2 input[type=number]"), "2");
            page.WaitForText("#validation-status", "Valid");
            page.All("#rule-3 .messages li.error").Count.ShouldBe(0);
            page.Find("#model-json").GetAttribute("value")!.ShouldContain("\"points\": 2");
            page.Button("Save draft").Click();
            page.WaitForText("#publish-status", "Saved as draft v2.");
            page.Button("Publish v2").Click();
            page.WaitForText("#publish-status", "Published v2: re-scored 200 of 200 records.");

            var after = (await demo.Client.GetJsonAsync($"/api/v1/contacts/{id}/scores", Ct)).GetProperty("scores")[0];
            after.GetProperty("version").GetInt32().ShouldBe(2);
            var afterScore = after.GetProperty("score").GetInt32();
            afterScore.ShouldBeLessThan(before);
            page.Open($"#/leads/{id}?model=balanced");
            page.WaitForText(".big-score", afterScore.ToString("N0", CultureInfo.InvariantCulture));
            page.WaitForText("#score-title", "Score under balanced v2");
            page.WaitFor("#history-title + svg, #history-title ~ svg", "the history chart, which loads after the score").GetAttribute("aria-label")!.ShouldContain("2 changes");
        });
    }

    [Fact]
    public async Task Backtest_OfAnInvalidThenAnEditedDraft_ShowsTheRefusalThenBothAucsAsTheApiComputesThem()
    {
        await using var demo = await DemoServer.StartAsync(200, Ct);
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, demo.Address);

        await browser.RunAsync(async () =>
        {
            page.SignIn(demo.AdminKey);
            page.Open("#/models/balanced");
            page.WaitForText("#validation-status", "Valid: no errors, no warnings.");

            DashboardPage.Retype(page.Find("#rule-3 input[type=text]"), "enterprise");
            page.WaitForText("#validation-status", "1 error");
            page.Button("Backtest against published").Click();
            page.WaitForText("#backtest-error", "The draft is not a valid model");
            page.WaitForText("#backtest-error", "'enterprise' is used twice");

            DashboardPage.Retype(page.Find("#rule-3 input[type=text]"), "revenue");
            DashboardPage.Retype(page.Find("#rule-2 input[type=number]"), "2");
            page.WaitForText("#validation-status", "Valid");
            page.Button("Backtest against published").Click();
            page.WaitForText("#backtest-status", "Backtest done");
            var draft = page.Find("#model-json").GetAttribute("value")!;
            var expected = await demo.Client.PostJsonAsync("/api/v1/models/balanced/backtest?since=90d", draft, Ct);

            page.All("#backtest-error *").Count.ShouldBe(0, "the refusal is gone once the draft is valid");
            page.Find("#backtest tr[data-measure='auc'] td.published").Text.ShouldBe(Auc(expected.GetProperty("published")));
            page.Find("#backtest tr[data-measure='auc'] td.draft").Text.ShouldBe(Auc(expected.GetProperty("draft")));
            page.Find("#backtest tr[data-measure='mqls'] td.draft").Text.ShouldBe(
                expected.GetProperty("draft").GetProperty("mqls").GetInt32().ToString("N0", CultureInfo.InvariantCulture));
            page.Find("#backtest #moved-out .moved-count").Text.ShouldStartWith($"{expected.GetProperty("movedOut").GetProperty("count").GetInt32()} lead");
        });
    }

    private static string Auc(System.Text.Json.JsonElement side) =>
        side.GetProperty("auc").GetDouble().ToString("0.000", CultureInfo.InvariantCulture);
}
