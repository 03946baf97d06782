using System.Net;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Tests;

namespace LeadScore.Server.Tests.Api;

/// <summary>
/// A typed client generated from the served document by a real generator (Kiota, from the tool
/// manifest) compiles, and a user's first steps through it work against a real server
/// (tests/LeadScore.GeneratedClient/Program.cs).
/// </summary>
public sealed class GeneratedClientTests
{
    private const string Model = """
        {
          "key": "client-model", "name": "Generated client model", "target": "contact", "scale": 100,
          "categories": [
            {"key": "fit", "dimension": "fit", "budget": 50},
            {"key": "engagement", "dimension": "engagement", "budget": 50}],
          "rules": [
            {"key": "senior", "category": "fit", "points": 30, "when": {"field": "jobTitle", "eq": "VP"}},
            {"key": "large", "category": "fit", "points": 20, "when": {"field": "employees", "gte": 100}},
            {"key": "demo", "category": "engagement", "points": 40, "event": {"type": "demo_requested"}}],
          "thresholds": [{"key": "mql", "points": 50}],
          "grades": [{"grade": "A", "min": 75}, {"grade": "B", "min": 50}, {"grade": "C", "min": 0}]
        }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KiotaClient_GeneratedFromTheDocument_UpsertsPostsAnEventAndReadsTheRankedLeadsWithTheirExplanation()
    {
        var root = Repository.Root;
        var restore = await ToolProcess.RunAsync("dotnet", ["tool", "restore"], root, TimeSpan.FromMinutes(5), Ct);
        restore.ExitCode.ShouldBe(0, $"'dotnet tool restore' (.config/dotnet-tools.json) failed:\n{restore.Output}");
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);
        await PublishAsync(server.Client);
        var work = Directory.CreateTempSubdirectory("leadscore-client-");
        try
        {
            var document = Path.Combine(work.FullName, "openapi.json");
            var generated = Path.Combine(work.FullName, "generated");
            await File.WriteAllTextAsync(document, await server.Client.GetStringAsync("/openapi/v1.json", Ct), Ct);

            var generate = await ToolProcess.RunAsync(
                "dotnet",
                ["kiota", "generate", "--language", "CSharp", "--openapi", document, "--output", generated, "--class-name", "LeadScoreClient",
                 "--namespace-name", "LeadScore.Client", "--exclude-backward-compatible", "--clean-output", "--log-level", "Error"],
                root, TimeSpan.FromMinutes(3), Ct);
            generate.ExitCode.ShouldBe(0, $"kiota generate failed:\n{generate.Output}");
            var run = await ToolProcess.RunAsync(
                "dotnet",
                ["run", "--project", Repository.File("tests/LeadScore.GeneratedClient"), "-c", "Release", $"-p:GeneratedClient={generated}",
                 "--", server.Address.ToString(), server.AdminKey, "client-model"],
                root, TimeSpan.FromMinutes(5), Ct);

            run.ExitCode.ShouldBe(0, $"the generated client's workflow failed:\n{run.Output}");
            run.Output.ShouldContain("workflow: ok");
            run.Output.ShouldContain("lead typed-1: score 90");
            run.Output.ShouldContain("rule demo: 40 points from 1 event(s)");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task PublishAsync(HttpClient client)
    {
        using var saved = await client.PostAsync("/api/v1/models", new StringContent(Model, Encoding.UTF8, "application/json"), Ct);
        saved.StatusCode.ShouldBe(HttpStatusCode.Created, await saved.Content.ReadAsStringAsync(Ct));
        using var published = await client.PostAsync("/api/v1/models/client-model/publish", null, Ct);
        published.StatusCode.ShouldBe(HttpStatusCode.Accepted, await published.Content.ReadAsStringAsync(Ct));
        var job = JsonDocument.Parse(await published.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetInt64();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (JsonDocument.Parse(await client.GetStringAsync($"/api/v1/jobs/{job}", Ct)).RootElement.GetProperty("state").GetString() != "completed")
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the publish job did not complete within 30 s");
            await Task.Delay(50, Ct);
        }
    }
}
