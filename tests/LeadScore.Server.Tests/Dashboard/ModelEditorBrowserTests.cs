using System.Globalization;
using System.Text.Json.Nodes;
using LeadScore.Server.Tests.Browser;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// The model editor in a real Chromium: a draft broken, the error shown at its rule, fixed, saved,
/// published, and a lead's score moved; a draft backtested against the published version; a saved
/// draft whose SQL line no lead reaches, said before anyone publishes it.
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

    [Fact]
    public async Task SavedDraft_ThatEmptiesTheSqlList_IsBacktestedOnOpening_AndTheEditorSaysSoBesidePublish()
    {
        await using var demo = await DemoServer.StartAsync(200, Ct);
        var published = await demo.Client.GetJsonAsync("/api/v1/models/balanced/versions/1", Ct);
        var draft = JsonNode.Parse(published.GetProperty("definition").GetRawText())!.AsObject();
        draft["thresholds"] = JsonNode.Parse("""[{"key": "mql", "points": 50}, {"key": "sql", "points": 100}]""");
        await demo.Client.PostJsonAsync("/api/v1/models", draft.ToJsonString(), Ct);
        var lists = (await demo.Client.PostJsonAsync("/api/v1/models/balanced/backtest?since=90d", draft.ToJsonString(), Ct)).GetProperty("lists");
        var sql = lists.EnumerateArray().Single(l => l.GetProperty("key").GetString() == "sql");
        var mql = lists.EnumerateArray().Single(l => l.GetProperty("key").GetString() == "mql");
        sql.GetProperty("draftLeads").GetInt32().ShouldBe(0, "precondition: no demo lead has all 100 points");
        sql.GetProperty("publishedLeads").GetInt32().ShouldBeGreaterThan(0, "precondition: some demo leads are SQL today");
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, demo.Address);

        await browser.RunAsync(() =>
        {
            page.SignIn(demo.AdminKey);
            page.Open("#/models/balanced");
            page.WaitForText(".version-info", "Editing from v2 (draft");
            page.WaitForText("#publish-hint", "No lead would reach SQL");
            page.Find("#publish-hint").Text.ShouldContain($"SQL {Count(sql, "publishedLeads")} → 0 leads", Case.Sensitive);
            page.Find("#publish-hint").GetAttribute("class")!.ShouldContain("warn-text");
            var sqlRow = page.Find("table.threshold-lists tr[data-threshold='sql']");
            sqlRow.GetAttribute("class")!.ShouldContain("unreachable");
            sqlRow.Text.ShouldContain("no lead reaches it with the draft");
            page.Find("table.threshold-lists tr[data-threshold='mql'] td.published").Text.ShouldStartWith(Count(mql, "publishedLeads"));
            (page.Find("table.threshold-lists tr[data-threshold='mql']").GetAttribute("class") ?? "").ShouldNotContain("unreachable");
            return Task.CompletedTask;
        });
    }

    private static string Count(System.Text.Json.JsonElement list, string property) =>
        list.GetProperty(property).GetInt32().ToString("N0", CultureInfo.InvariantCulture);

    private static string Auc(System.Text.Json.JsonElement side) =>
        side.GetProperty("auc").GetDouble().ToString("0.000", CultureInfo.InvariantCulture);
}
