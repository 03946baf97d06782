using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;

namespace LeadScore.Server.Tests.Api;

/// <summary>
/// What the HTTP API promises its users, run once over SQLite and once over PostgreSQL: each test
/// starts its own server (a new database) through <see cref="StartServerAsync"/>.
/// </summary>
public abstract partial class ApiContract
{
    /// <summary>
    /// A model over contacts with fit rules (so every contact has a score), event rules, a segment, a threshold and grades.
    /// Composite: score = segment × 1000 + points (there are no requirements).
    /// </summary>
    protected const string TestModel = """
        {
          "key": "test-model", "name": "API test model", "target": "contact", "scale": 100, "encoding": "composite",
          "categories": [
            {"key": "fit", "dimension": "fit", "budget": 50},
            {"key": "engagement", "dimension": "engagement", "budget": 50}],
          "segment": [
            {"digit": 2, "when": {"field": "employees", "gte": 100}},
            {"digit": 1, "when": {"field": "employees", "gte": 0}}],
          "rules": [
            {"key": "senior", "category": "fit", "points": 30, "when": {"field": "jobTitle", "eq": "VP"}},
            {"key": "large", "category": "fit", "points": 20, "when": {"field": "employees", "gte": 100}},
            {"key": "demo", "category": "engagement", "points": 40, "event": {"type": "demo_requested"}},
            {"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 10, "event": {"type": "email_open"}}],
          "thresholds": [{"key": "mql", "points": 50}],
          "grades": [{"grade": "A", "min": 75}, {"grade": "B", "min": 50}, {"grade": "C", "min": 0}]
        }
        """;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A recent past instant as ISO 8601 text: events must not be in the future.</summary>
    protected static string DaysAgo(double days) =>
        DateTimeOffset.UtcNow.AddDays(-days).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Starts a server over a new, empty database; the test disposes it.</summary>
    protected abstract Task<RunningServer> StartServerAsync(ServerOptions? options = null);

    protected static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    protected static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string json) =>
        client.PostAsync(url, Json(json), Ct);

    protected static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, string json) =>
        client.PutAsync(url, Json(json), Ct);

    protected static Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, string json) =>
        client.PatchAsync(url, Json(json), Ct);

    protected static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a success status and returns the JSON body.</summary>
    protected static async Task<JsonElement> ShouldSucceedAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(status, text);
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    /// <summary>
    /// Asserts an error response: the status, <c>application/problem+json</c>, a non-empty
    /// <c>detail</c> and a <c>code</c>. Returns the problem for further checks.
    /// </summary>
    protected static async Task<JsonElement> ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(status, text);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
            var problem = JsonDocument.Parse(text).RootElement.Clone();
            problem.GetProperty("status").GetInt32().ShouldBe((int)status);
            problem.TryGetProperty("detail", out var detail).ShouldBeTrue(text);
            detail.GetString().ShouldNotBeNullOrWhiteSpace();
            problem.TryGetProperty("code", out var code).ShouldBeTrue(text);
            code.GetString().ShouldNotBeNullOrWhiteSpace();
            problem.TryGetProperty("type", out var type).ShouldBeTrue(text);
            type.GetString().ShouldStartWith("https://tools.ietf.org/html/rfc");
            return problem;
        }
    }

    protected static string Detail(JsonElement problem) => problem.GetProperty("detail").GetString()!;

    protected static string Code(JsonElement problem) => problem.GetProperty("code").GetString()!;

    protected static async Task<int> CountAsync(HttpClient client, string plural)
    {
        var page = await ShouldSucceedAsync(await client.GetAsync($"/api/v1/{plural}?limit=1000", Ct));
        return page.GetProperty("items").GetArrayLength();
    }

    /// <summary>Saves the model, publishes it, and waits until its re-score job has completed.</summary>
    protected static async Task<JsonElement> PublishAsync(HttpClient client, string modelJson = TestModel, string key = "test-model")
    {
        await ShouldSucceedAsync(await PostAsync(client, "/api/v1/models", modelJson), HttpStatusCode.Created);
        var job = await ShouldSucceedAsync(await client.PostAsync($"/api/v1/models/{key}/publish", null, Ct), HttpStatusCode.Accepted);
        return await WaitForJobAsync(client, job.GetProperty("id").GetInt64());
    }

    /// <summary>
    /// Reads until <paramref name="done"/> holds for what was read and returns that; fails, naming
    /// <paramref name="what"/>, when it has not happened within <paramref name="within"/>. For what the
    /// server does in the background (a schedule, predictions written after a version is saved).
    /// </summary>
    protected static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{what} did not happen within {within.TotalMinutes:0} minutes");
            await Task.Delay(200, Ct);
        }
    }

    /// <summary>Polls a job until it completes (a short delay between looks, an overall timeout).</summary>
    protected static async Task<JsonElement> WaitForJobAsync(HttpClient client, long id)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var job = await ShouldSucceedAsync(await client.GetAsync($"/api/v1/jobs/{id}", timeout.Token));
            if (job.GetProperty("state").GetString() == "completed")
            {
                return job;
            }

            await Task.Delay(25, timeout.Token);
        }
    }

    protected static async Task<JsonElement> ScoreOfAsync(HttpClient client, string contactId)
    {
        var scores = await ShouldSucceedAsync(await client.GetAsync($"/api/v1/contacts/{contactId}/scores", Ct));
        return scores.GetProperty("scores").EnumerateArray().Single();
    }

    protected static string Ids(JsonElement items) =>
        string.Join(",", items.EnumerateArray().Select(i => i.GetProperty(i.TryGetProperty("recordId", out _) ? "recordId" : "id").GetString()));
}
