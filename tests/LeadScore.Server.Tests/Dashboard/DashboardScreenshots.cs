using System.Drawing;
using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Browser;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// Walks through every page of the dashboard, at a laptop's width and a phone's, and saves what it
/// shows: into docs/screenshots of the repository when LEADSCORE_DOCS_SCREENSHOTS=1 (how the set in
/// docs/dashboard.md is made), else into a temporary folder. It checks each page as it goes.
/// </summary>
public sealed class DashboardScreenshots
{
    private const string Automations = """
        {"name": "Hand MQLs to sales", "model": "balanced", "trigger": {"type": "score-above", "threshold": "mql"},
         "actions": [{"type": "assign-owner", "roundRobin": ["ana", "ben", "chloe"]}, {"type": "add-tag", "tag": "sales-ready"},
                     {"type": "webhook", "url": "http://127.0.0.1:9/hooks/leadscore"}],
         "applyToExisting": true}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string Folder =>
        Environment.GetEnvironmentVariable("LEADSCORE_DOCS_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "leadscore-dashboard-screenshots");

    [Fact]
    public async Task EveryPage_AtALaptopAndAPhoneWidth_IsShownAndCaptured()
    {
        // Webhooks to a closed loopback port, retried for one second: the dead letters the automations page shows.
        // Port 9 (discard) is closed everywhere; it is below 1024, so it is allow-listed too.
        await using var demo = await DemoServer.StartAsync(300, Ct, new ServerOptions
        {
            WebhookAllowedNetworks = ["127.0.0.1/32", "port:9"],
            WebhookRetryWindow = TimeSpan.FromSeconds(1),
            WebhookFirstRetryDelay = TimeSpan.FromMilliseconds(200),
            DeliveryPollInterval = TimeSpan.FromMilliseconds(200),
            WebhookTimeout = TimeSpan.FromSeconds(1),
        });
        await demo.Client.PostJsonAsync("/api/v1/automations", Automations, Ct);
        await WaitForDeadLettersAsync(demo.Client);
        await WaitForPredictionsAsync(demo.Client);
        // A sales-qualified lead the automation ran for and the predictive model scored (converted contacts get no prediction).
        var lead = (await demo.Client.GetJsonAsync("/api/v1/leads?threshold=mql&limit=200", Ct)).GetProperty("items").EnumerateArray()
            .First(item => item.TryGetProperty("prediction", out var p) && p.ValueKind == System.Text.Json.JsonValueKind.Object)
            .GetProperty("recordId").GetString()!;
        var name = await demo.Client.ContactNameAsync(lead, Ct);
        var folder = Folder;
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, demo.Address);

        await browser.RunAsync(async () =>
        {
            page.Open();
            page.WaitForHeading("Sign in");
            page.CaptureFullPage(folder, "sign-in");

            page.SignIn(demo.AdminKey);
            page.WaitForText("table.leads thead", "PREDICTION");
            page.WaitForText("table.leads tbody tr:last-child", "ago");
            page.CaptureFullPage(folder, "leads");

            page.Open($"#/leads/{lead}?model=balanced");
            page.WaitForHeading(name);
            page.WaitFor("#runs-title + ul li", "the automation runs");
            page.WaitForText("#prediction-title + p", "%");
            page.CaptureFullPage(folder, "lead", maxHeight: 3200);

            page.Link("Models").Click();
            page.WaitForHeading("Models");
            page.CaptureFullPage(folder, "models");

            page.Link("balanced").Click();
            page.WaitForText("#validation-status", "Valid");
            DashboardPage.Retype(page.Find("#rule-0 input[type=number]"), "30");
            page.WaitForText("#rule-0 .messages", "Warning");
            page.Button("Backtest against published").Click();
            page.WaitForText("#backtest-status", "Backtest done");
            page.CaptureFullPage(folder, "model-editor", maxHeight: 3200);

            page.Link("Automations").Click();
            page.WaitForHeading("Automations");
            page.Choose("State", "Dead letters");
            page.WaitForText("#deliveries-title", "Dead letters");
            page.WaitForText("table.deliveries", "Replay");
            page.CaptureFullPage(folder, "automations");

            page.Link("Settings").Click();
            page.WaitForText("table.keys", "demo admin key");
            page.CaptureFullPage(folder, "settings");

            // 90 days: the demo has too few converters in 30 for a proposal.
            page.Link("Review").Click();
            page.WaitForHeading("Monthly review");
            page.Choose("Period", "Last 90 days");
            page.WaitForText("#health .period", "(90 days)");
            // The proposal with its backtest, or the published model kept and why (the small demo has too few outcomes to confirm one).
            page.WaitFor("#proposal table.backtest, #proposal #proposal-refused", "the proposal's backtest, or why the published model is kept");
            page.CaptureFullPage(folder, "review", maxHeight: 6000);

            browser.Driver.Manage().Window.Size = new Size(390, 844);
            page.Link("Leads").Click();
            page.WaitForText("table.leads tbody tr:last-child", "ago");
            page.CaptureFullPage(folder, "leads-phone", maxHeight: 1600);
            page.Open($"#/leads/{lead}?model=balanced");
            page.WaitForHeading(name);
            page.CaptureFullPage(folder, "lead-phone", maxHeight: 2400);
            page.Open("#/review?model=balanced&since=90d");
            // The proposal with its backtest, or the published model kept and why (the small demo has too few outcomes to confirm one).
            page.WaitFor("#proposal table.backtest, #proposal #proposal-refused", "the proposal's backtest, or why the published model is kept");
            page.CaptureFullPage(folder, "review-phone", maxHeight: 2400);
            await Task.CompletedTask;
        });
    }

    private static async Task WaitForDeadLettersAsync(HttpClient client)
    {
        for (var i = 0; i < 300; i++)
        {
            var dead = await client.GetJsonAsync("/api/v1/deliveries?state=dead&limit=1", Ct);
            if (dead.GetProperty("items").GetArrayLength() > 0)
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException("No webhook delivery became a dead letter in 30 s.");
    }

    /// <summary>The server trains the demo's predictive model in the background when it starts; the pages show its predictions.</summary>
    private static async Task WaitForPredictionsAsync(HttpClient client)
    {
        for (var i = 0; i < 1200; i++)
        {
            var top = await client.GetJsonAsync("/api/v1/leads?sort=-probability&limit=1", Ct);
            if (top.GetProperty("items")[0].TryGetProperty("prediction", out var prediction) && prediction.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException("The demo's predictive model made no prediction in 120 s; see GET /api/v1/predictive/status.");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LeadScore.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No LeadScore.slnx above {AppContext.BaseDirectory}.");
    }
}
