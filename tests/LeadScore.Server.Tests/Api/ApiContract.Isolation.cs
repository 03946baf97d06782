using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    /// <summary>The /api/v1 endpoints (method and route) the server has today; the isolation test must reach at least these many.</summary>
    private const int EndpointsToday = 73;

    private const string ModelOfA = "alpha-model";

    [Fact]
    public async Task EveryEndpoint_CalledByAnotherWorkspaceWithTheIdsOfTheFirst_NeitherShowsNorChangesItsData()
    {
        // Webhooks stay in the outbox: a delivery attempt during the test would change A's data by itself.
        await using var server = await StartServerAsync(new ServerOptions { DeliveryPollInterval = TimeSpan.FromDays(1) });
        var a = server.Client;
        var data = await FillWorkspaceAAsync(server);
        var before = await SnapshotAsync(server, data);
        var markers = Markers(data, before);
        using var b = server.ClientWith(await server.CreateKeyAsync("other", ApiKeyScope.Admin, Ct));

        var endpoints = ApiEndpoints(server);
        var leaks = new List<string>();
        var eventSent = false;
        foreach (var (method, pattern) in endpoints)
        {
            var url = FillRoute(pattern, data) + (method == "GET" ? $"?model={ModelOfA}" : "");
            var body = PlausibleBody(method, pattern, data);
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await b.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            var sent = url + "\n" + body;
            var where = $"{method} {url} -> {(int)response.StatusCode}";
            ((int)response.StatusCode).ShouldBeLessThan(500, $"{where}: {text}");
            leaks.AddRange(markers.Where(m => text.Contains(m, StringComparison.Ordinal) && !sent.Contains(m, StringComparison.Ordinal))
                .Select(m => $"{where} shows '{m}' of workspace A: {text}"));
            if (method == "POST" && Regex.IsMatch(pattern, "^/api/v1/(contacts|companies|deals)/?$"))
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Created, $"{where}: A's id must be free in B: {text}");
            }

            // The first time B sends A's event id it is new in B; after that it is B's own duplicate.
            if (!eventSent && response.IsSuccessStatusCode && text.StartsWith('{') && JsonDocument.Parse(text).RootElement.TryGetProperty("duplicates", out var duplicates))
            {
                duplicates.GetInt32().ShouldBe(0, $"{where}: A's event id must not count as a duplicate in B: {text}");
                eventSent = true;
            }
        }

        var after = await SnapshotAsync(server, data);

        leaks.ShouldBeEmpty();
        endpoints.Count.ShouldBeGreaterThanOrEqualTo(EndpointsToday);
        foreach (var (what, json) in before)
        {
            after[what].ShouldBe(json, $"workspace A's {what} changed");
        }

        (await ShouldSucceedAsync(await a.GetAsync("/api/v1/contacts", Ct))).GetProperty("items").GetArrayLength().ShouldBe(2, "a-contact and a-claimed");
    }

    private sealed record WorkspaceA(string Contact, string Company, string Deal, string Event, string KeyId, string KeySecret, string AdminKeyId, long JobId)
    {
        public string Automation { get; init; } = "";

        public string AutomationSecret { get; init; } = "";

        public string Delivery { get; init; } = "";

        public string Site { get; init; } = "";

        public string Source { get; init; } = "";

        public string SourceSecret { get; init; } = "";

        public string Review { get; init; } = "";

        public string Visitor { get; init; } = "";
    }

    private static async Task<WorkspaceA> FillWorkspaceAAsync(RunningServer server)
    {
        var a = server.Client;
        await ShouldSucceedAsync(await PostAsync(a, "/api/v1/companies", """{"id": "a-company", "name": "zebra-company-a", "employees": 900}"""), HttpStatusCode.Created);
        await ShouldSucceedAsync(await PostAsync(a, "/api/v1/contacts", """{"id": "a-contact", "jobTitle": "VP", "codename": "zebra-contact-a", "companyId": "a-company"}"""), HttpStatusCode.Created);
        await ShouldSucceedAsync(await PostAsync(a, "/api/v1/deals", """{"id": "a-deal", "stage": "zebra-deal-a", "amount": 777, "contactId": "a-contact"}"""), HttpStatusCode.Created);
        var model = TestModel.Replace("\"test-model\"", $"\"{ModelOfA}\"", StringComparison.Ordinal).Replace("API test model", "zebra-model-a", StringComparison.Ordinal);
        var job = await PublishAsync(a, model, ModelOfA);
        var automation = await ShouldSucceedAsync(await PostAsync(a, "/api/v1/automations", $$"""
            {"name": "zebra-automation-a", "model": "{{ModelOfA}}", "trigger": {"type": "event-received", "eventType": "demo_requested"},
             "actions": [{"type": "add-tag", "tag": "zebra-tag-a"}, {"type": "webhook", "url": "https://hooks.example.com/zebra-hook-a"}]}
            """), HttpStatusCode.Created);
        await ShouldSucceedAsync(await PostAsync(a, "/api/v1/events",
            $$$"""{"id": "a-event", "contact": "a-contact", "type": "demo_requested", "occurredAt": "{{{DaysAgo(1.5)}}}", "properties": {"url": "zebra-event-a"}}"""));
        await ShouldSucceedAsync(await PostAsync(a, "/api/v1/outcomes", $$"""{"record": "deal", "id": "a-deal", "outcome": "won", "occurredAt": "{{DaysAgo(1.2)}}", "amount": 777}"""));
        await ShouldSucceedAsync(await PostAsync(a, "/api/v1/contacts/a-contact/adjustments",
            $$"""{"model": "{{ModelOfA}}", "category": "fit", "points": -3, "reason": "zebra-adjustment-a"}"""), HttpStatusCode.Created);
        var key = await ShouldSucceedAsync(await PostAsync(a, "/api/v1/keys", """{"scope": "read", "name": "zebra-key-a"}"""), HttpStatusCode.Created);
        var keys = await ShouldSucceedAsync(await a.GetAsync("/api/v1/keys", Ct));
        var adminKeyId = keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("scope").GetString() == "admin").GetProperty("id").GetString()!;
        var delivery = (await ShouldSucceedAsync(await a.GetAsync("/api/v1/deliveries", Ct))).GetProperty("items").EnumerateArray().Single();
        var site = await ShouldSucceedAsync(await PostAsync(a, "/api/v1/sites", """{"name": "zebra-site-a", "origins": ["https://zebra-a.example.com"]}"""), HttpStatusCode.Created);
        var review = await ShouldSucceedAsync(await a.PostAsync($"/api/v1/models/{ModelOfA}/reviews", null, Ct), HttpStatusCode.Created);
        await ShouldSucceedAsync(await PutAsync(a, "/api/v1/contacts/a-claimed", """{"email": "zebra-claimed-a@example.com"}"""), HttpStatusCode.Created);
        using var claim = await CollectAsync(server, site.GetProperty("site").GetProperty("key").GetString()!,
            """{"v": "zebra-visitor-a", "events": [], "identify": {"email": "zebra-claimed-a@example.com"}}""", "https://zebra-a.example.com", Browser, "zebra-visitor-a");
        claim.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var source = await ShouldSucceedAsync(await PostAsync(a, "/api/v1/sources", """{"name": "zebra-source-a"}"""), HttpStatusCode.Created);
        await ShouldSucceedAsync(await PutAsync(a, "/api/v1/sources/event-mapping", """{"events": {"Zebra Event A": "zebra_mapped_a"}}"""));
        using (var sender = server.ClientWith(source.GetProperty("writeKey").GetString()!))
        {
            await ShouldSucceedAsync(await PostAsync(sender, "/v1/track", """{"userId": "a-contact", "event": "Zebra Event A", "messageId": "zebra-message-a"}"""));
        }

        return new WorkspaceA("a-contact", "a-company", "a-deal", "a-event", key.GetProperty("key").GetProperty("id").GetString()!,
            key.GetProperty("secret").GetString()!, adminKeyId, job.GetProperty("id").GetInt64())
        {
            Automation = automation.GetProperty("automation").GetProperty("id").GetString()!,
            AutomationSecret = automation.GetProperty("secret").GetString()!,
            Delivery = delivery.GetProperty("id").GetString()!,
            Site = site.GetProperty("site").GetProperty("id").GetString()!,
            Review = review.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Visitor = "zebra-visitor-a",
            Source = source.GetProperty("source").GetProperty("id").GetString()!,
            SourceSecret = source.GetProperty("source").GetProperty("sharedSecret").GetString()!,
        };
    }

    /// <summary>Everything workspace A can read about its data, as JSON text (and its outcomes, which no endpoint lists).</summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(RunningServer server, WorkspaceA data)
    {
        var urls = new[]
        {
            "/api/v1/contacts", "/api/v1/companies", "/api/v1/deals", $"/api/v1/contacts/{data.Contact}", $"/api/v1/companies/{data.Company}",
            $"/api/v1/deals/{data.Deal}", $"/api/v1/contacts/{data.Contact}/scores", $"/api/v1/contacts/{data.Contact}/history",
            $"/api/v1/contacts/{data.Contact}/events", "/api/v1/models", $"/api/v1/models/{ModelOfA}/versions/1", "/api/v1/leads",
            "/api/v1/keys", $"/api/v1/jobs/{data.JobId}", "/api/v1/automations", $"/api/v1/automations/{data.Automation}",
            $"/api/v1/automations/{data.Automation}/runs", $"/api/v1/contacts/{data.Contact}/automation-runs", "/api/v1/deliveries",
            $"/api/v1/deliveries/{data.Delivery}", "/api/v1/sites", "/api/v1/tracking/claims",
            "/api/v1/sources", "/api/v1/sources/event-names", "/api/v1/sources/event-mapping", "/api/v1/sources/event-mapping/versions", $"/api/v1/models/{ModelOfA}/reviews", $"/api/v1/models/{ModelOfA}/reviews/{data.Review}",
        };
        var snapshot = new Dictionary<string, string>();
        foreach (var url in urls)
        {
            using var response = await server.Client.GetAsync(url, Ct);
            snapshot[url] = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}";
        }

        var outcomes = await server.Services.GetRequiredService<ILeadStore>().Outcomes.GetOutcomesAsync(WorkspaceId.Default, Ct);
        snapshot["outcomes"] = string.Join("\n", outcomes);
        return snapshot;
    }

    /// <summary>Text only workspace A has: its field values, key ids and secret, and every instant in its data (B's are later).</summary>
    private static List<string> Markers(WorkspaceA data, Dictionary<string, string> snapshot)
    {
        var markers = new List<string>
        {
            "zebra-company-a", "zebra-contact-a", "zebra-deal-a", "zebra-model-a", "zebra-event-a", "zebra-adjustment-a", "zebra-key-a",
            data.KeyId, data.KeySecret, data.AdminKeyId, data.Event, ModelOfA,
            "zebra-automation-a", "zebra-tag-a", "zebra-hook-a", data.Automation, data.AutomationSecret, data.Delivery,
            "zebra-site-a", "zebra-a.example.com", data.Site, data.Visitor, "zebra-claimed-a",
            "zebra-source-a", data.Source, data.SourceSecret, "Zebra Event A", "zebra_mapped_a", "zebra-message-a",
        };
        foreach (var json in snapshot.Where(s => s.Key != "outcomes").Select(s => s.Value[(s.Value.IndexOf(' ', StringComparison.Ordinal) + 1)..]))
        {
            markers.AddRange(Regex.Matches(json, "\"(\\d{4}-\\d\\d-\\d\\dT[^\"]+)\"").Select(m => m.Groups[1].Value));
        }

        return [.. markers.Distinct()];
    }

    /// <summary>Every method and route under /api/v1, reads first, then writes, erasure and deletion last.</summary>
    private static List<(string Method, string Pattern)> ApiEndpoints(RunningServer server)
    {
        var order = new[] { "GET", "POST", "PUT", "PATCH", "DELETE" };
        return [.. server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .Distinct()
            .OrderBy(e => Array.IndexOf(order, e.Method) is var i && i < 0 ? order.Length : i)
            .ThenBy(e => e.Pattern.EndsWith("/erase", StringComparison.Ordinal))
            .ThenBy(e => e.Pattern, StringComparer.Ordinal)];
    }

    /// <summary>The route with A's ids: {id} after contacts, companies, deals, keys or jobs; {key} a model key; {version} 1.</summary>
    private static string FillRoute(string pattern, WorkspaceA data) =>
        Regex.Replace(pattern, @"(?<collection>[a-z]+)/\{(?<name>\w+)(:[^}]*)?\}|\{(?<alone>\w+)(:[^}]*)?\}", m =>
        {
            var name = m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["alone"].Value;
            var collection = m.Groups["collection"].Value;
            var value = (collection, name) switch
            {
                ("contacts", _) => data.Contact,
                ("companies", _) => data.Company,
                ("deals", _) => data.Deal,
                ("keys", _) => data.KeyId,
                ("jobs", _) => data.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ("automations", _) => data.Automation,
                ("deliveries", _) => data.Delivery,
                ("sites", _) => data.Site,
                ("sources", _) => data.Source,
                ("reviews", _) => data.Review,
                ("claims", _) => data.Visitor,
                ("models", _) or (_, "key") => ModelOfA,
                (_, "version") => "1",
                _ => throw new InvalidOperationException($"No value of workspace A for {{{name}}} in {pattern}; teach the isolation test about it."),
            };
            return m.Groups["collection"].Success ? $"{collection}/{value}" : value;
        });

    /// <summary>A body the endpoint would accept, naming A's ids; null for endpoints that take none.</summary>
    private static string? PlausibleBody(string method, string pattern, WorkspaceA data)
    {
        var at = DaysAgo(1);
        var path = pattern["/api/v1".Length..].TrimEnd('/');
        var record = Regex.Match(path, "^/(contacts|companies|deals)");
        var id = record.Groups[1].Value switch { "contacts" => data.Contact, "companies" => data.Company, "deals" => data.Deal, _ => "" };
        return (method, path) switch
        {
            ("POST", "/contacts" or "/companies" or "/deals") => $$"""{"id": "{{id}}", "note": "from-b"}""",
            ("PUT" or "PATCH", _) when record.Success => """{"note": "from-b"}""",
            ("POST", _) when path.EndsWith("/batch", StringComparison.Ordinal) && record.Success => $$"""[{"id": "{{id}}", "note": "from-b"}]""",
            ("POST", "/events") => $$"""{"id": "{{data.Event}}", "contact": "{{data.Contact}}", "type": "email_open", "occurredAt": "{{at}}"}""",
            ("POST", "/events/batch") => $$"""[{"id": "{{data.Event}}", "contact": "{{data.Contact}}", "type": "email_open", "occurredAt": "{{at}}"}]""",
            ("POST", "/models") => TestModel.Replace("\"test-model\"", $"\"{ModelOfA}\"", StringComparison.Ordinal),
            ("POST", _) when path.EndsWith("/backtest", StringComparison.Ordinal) => TestModel.Replace("\"test-model\"", $"\"{ModelOfA}\"", StringComparison.Ordinal),
            ("POST", "/outcomes") => $$"""{"record": "deal", "id": "{{data.Deal}}", "outcome": "lost", "occurredAt": "{{at}}"}""",
            ("POST", _) when path.EndsWith("/adjustments", StringComparison.Ordinal) =>
                $$"""{"model": "{{ModelOfA}}", "category": "fit", "points": 5, "reason": "from-b"}""",
            ("POST", "/keys") => """{"scope": "read", "name": "from-b"}""",
            ("POST", "/sources") => """{"name": "from-b"}""",
            ("PUT", "/sources/event-mapping") => """{"events": {"From B": "from_b"}}""",
            ("POST", "/sites") => """{"name": "from-b", "origins": ["https://b.example.com"]}""",
            ("POST", "/tracking/email-links") => $$"""{"contact": "{{data.Contact}}", "campaign": "from-b", "url": "https://b.example.com/x"}""",
            ("POST" or "PUT", _) when path.StartsWith("/automations", StringComparison.Ordinal) => $$"""
                {"name": "from-b", "model": "{{ModelOfA}}", "trigger": {"type": "score-above", "points": 1}, "actions": [{"type": "add-tag", "tag": "b"}], "applyToExisting": true}
                """,
            ("POST" or "PUT" or "PATCH", _) when !path.EndsWith("/erase", StringComparison.Ordinal) && !path.EndsWith("/publish", StringComparison.Ordinal)
                && !path.EndsWith("/archive", StringComparison.Ordinal) && !path.EndsWith("/validate", StringComparison.Ordinal) => "{}",
            _ => null,
        };
    }
}
