using System.Globalization;
using System.Text.Json;
using LeadScore.Server.Tests.Browser;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// The predictive model's card in a real Chromium over the demo's data, trained by the server: the
/// time-ordered validation, the model beside the naive baselines, the calibration deciles and the
/// leakage check, each as GET /api/v1/predictive/models/{version} answers it.
/// </summary>
public sealed class ModelCardBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ModelCard_ShowsTheMetricsBaselinesCalibrationAndLeakageCheckAsTheApiDoes()
    {
        await using var demo = await DemoServer.StartAsync(DemoFixture.Contacts, Ct);
        var version = await TrainedVersionAsync(demo.Client);
        var model = await demo.Client.GetJsonAsync($"/api/v1/predictive/models/{version}", Ct);
        var metrics = model.GetProperty("report").GetProperty("metrics");
        using var browser = BrowserSession.Start();
        var page = new DashboardPage(browser, demo.Address);

        await browser.RunAsync(() =>
        {
            page.SignIn(demo.AdminKey);
            page.Link("Predictions").Click();
            page.WaitForHeading("Predictive model");

            page.WaitForText("#validation", metrics.GetProperty("validation").GetString()!);
            page.Find("table.model-metrics tr[data-row='model'] td.auc").Text.ShouldBe(Fixed(metrics.GetProperty("auc"), "0.000"));
            page.Find("table.model-metrics tr[data-row='model'] td.brier").Text.ShouldBe(Fixed(metrics.GetProperty("brier"), "0.0000"));
            foreach (var baseline in metrics.GetProperty("baselines").EnumerateArray())
            {
                page.Find($"table.model-metrics tr[data-row='{baseline.GetProperty("name").GetString()}'] td.auc").Text
                    .ShouldBe(Fixed(baseline.GetProperty("auc"), "0.000"));
            }

            page.Find("table.model-metrics tr[data-row='NaiveBayes'] th").Text.ShouldBe("Naive Bayes (as Odoo CRM)");
            page.All("table.calibration tbody tr").Count.ShouldBe(metrics.GetProperty("calibration").GetArrayLength());
            page.Find("#shuffled-auc").Text.ShouldStartWith($"AUC {Fixed(metrics.GetProperty("shuffledAuc"), "0.000")}: a secondary figure");
            page.Find("#leakage").Text.ShouldContain("when each field last changed");
            return Task.CompletedTask;
        });
    }

    // The demo's server trains by itself once it has conversions and no model; asking makes it start now.
    private static async Task<int> TrainedVersionAsync(HttpClient client)
    {
        await client.PostJsonAsync("/api/v1/predictive/train", "", Ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            var versions = (await client.GetJsonAsync("/api/v1/predictive/models", Ct)).GetProperty("versions");
            if (versions.GetArrayLength() > 0)
            {
                return versions[0].GetProperty("version").GetInt32();
            }

            var status = await client.GetJsonAsync("/api/v1/predictive/status", Ct);
            if (status.TryGetProperty("lastRun", out var run) && run.ValueKind == JsonValueKind.Object)
            {
                run.GetProperty("result").GetString().ShouldBe("trained", run.ToString());
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "the demo's predictive model was not trained within 4 minutes");
            await Task.Delay(200, Ct);
        }
    }

    private static string Fixed(JsonElement number, string format) => number.GetDouble().ToString(format, CultureInfo.InvariantCulture);
}
