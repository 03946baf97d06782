using System.Net;
using System.Text.Json;
using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;

namespace LeadScore.Server.Tests.Api;

/// <summary>
/// Issue 25's property: whatever bytes a write endpoint is sent, it never answers 5xx, every refusal
/// is a problem with a code, and nothing is half-stored (a refused record is left as it was, a
/// rejected batch item is not stored while the others are). Bodies come from <see cref="BodyFuzzer"/>
/// with a fixed seed per endpoint, so a failure names a case that repeats.
/// </summary>
public abstract partial class ApiContract
{
    /// <summary>Enough to reach each nasty value in most places of each body, few enough to keep the suite's time (two cores, both stores).</summary>
    private const int FuzzCases = 150;

    [Theory]
    [InlineData("contacts-put")]
    [InlineData("contacts-patch")]
    [InlineData("companies-put")]
    [InlineData("deals-put")]
    [InlineData("contacts-create")]
    [InlineData("contacts-batch")]
    [InlineData("deals-batch")]
    [InlineData("events")]
    [InlineData("events-batch")]
    [InlineData("outcomes")]
    [InlineData("adjustments")]
    [InlineData("collect")]
    [InlineData("models")]
    [InlineData("model-validate")]
    [InlineData("automations")]
    [InlineData("sites")]
    [InlineData("keys")]
    [InlineData("email-links")]
    [InlineData("predictive-settings")]
    [InlineData("dashboard-session")]
    public async Task WriteEndpoint_FuzzedBodies_NeverAnswer5xxNorStoreHalfway(string endpoint)
    {
        await using var server = await StartServerAsync(new ServerOptions { RequestsPerSecondPerKey = 1_000_000, BurstPerKey = 1_000_000 });
        var fuzzer = new BodyFuzzer(seed: 25_000 + endpoint.Length * 31 + endpoint[0]);
        var check = new FuzzCheck(server, endpoint);
        await ArrangeFuzzAsync(server, endpoint);

        for (var n = 0; n < FuzzCases; n++)
        {
            await FuzzOnceAsync(server, endpoint, fuzzer, check, n);
        }

        await check.FinishAsync();
        check.Failures.ShouldBeEmpty();
    }

    private static async Task ArrangeFuzzAsync(RunningServer server, string endpoint)
    {
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/contacts/fz-c", """{"jobTitle": "VP", "employees": 120, "email": "ada@fuzz.example"}"""), HttpStatusCode.Created);
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/companies/fz-co", """{"name": "Acme", "employees": 50}"""), HttpStatusCode.Created);
        await ShouldSucceedAsync(await PutAsync(server.Client, "/api/v1/deals/fz-d", """{"contactId": "fz-c", "amount": 1000, "stage": "open"}"""), HttpStatusCode.Created);
        if (endpoint is "adjustments" or "outcomes" or "automations")
        {
            await PublishAsync(server.Client);
        }
    }

    private static async Task FuzzOnceAsync(RunningServer server, string endpoint, BodyFuzzer fuzzer, FuzzCheck check, int n)
    {
        var at = DaysAgo(1);
        switch (endpoint)
        {
            case "contacts-put" or "contacts-patch" or "companies-put" or "deals-put":
            {
                var (method, url, valid) = endpoint switch
                {
                    "contacts-put" => (HttpMethod.Put, "/api/v1/contacts/fz-c", $$"""{"jobTitle": "CTO {{n}}", "employees": {{n}}, "email": "ada{{n}}@fuzz.example", "budget": 5000.5, "createdAt": "2025-01-02", "vip": true}"""),
                    "contacts-patch" => (HttpMethod.Patch, "/api/v1/contacts/fz-c", $$"""{"jobTitle": "CTO {{n}}", "employees": {{n}}, "note": null}"""),
                    "companies-put" => (HttpMethod.Put, "/api/v1/companies/fz-co", $$"""{"name": "Acme {{n}}", "employees": {{n}}, "annualRevenue": 1000000}"""),
                    _ => (HttpMethod.Put, "/api/v1/deals/fz-d", $$"""{"contactId": "fz-c", "amount": {{n}}.5, "stage": "open", "expectedCloseDate": "2026-12-31"}"""),
                };
                var before = await check.ReadAsync(url);
                using var response = await SendBytesAsync(server.Client, method, url, fuzzer.Next(valid).Bytes);
                if (await check.AnswerAsync(response, n) is { IsSuccessStatusCode: false })
                {
                    check.Expect(await check.ReadAsync(url) == before, n, $"a refused {method} {url} changed the record");
                }

                break;
            }

            case "contacts-create":
            {
                var body = fuzzer.Next($$"""{"id": "fzn-{{n}}", "jobTitle": "VP", "employees": {{n}}, "email": "n{{n}}@fuzz.example"}""", "id");
                using var response = await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/contacts", body.Bytes);
                if (await check.AnswerAsync(response, n) is { IsSuccessStatusCode: false } && body.KeptIntact)
                {
                    check.Expect(await check.ReadAsync($"/api/v1/contacts/fzn-{n}") is null, n, "a refused create stored the contact");
                }

                break;
            }

            case "contacts-batch" or "deals-batch":
            {
                var plural = endpoint == "contacts-batch" ? "contacts" : "deals";
                var items = Enumerable.Range(0, 3).Select(i => plural == "contacts"
                    ? $$"""{"id": "fzb-{{n}}-{{i}}", "jobTitle": "VP", "employees": {{i}}, "companyId": "fz-co", "tags": "a,b"}"""
                    : $$"""{"id": "fzb-{{n}}-{{i}}", "contactId": "fz-c", "amount": {{i}}00, "stage": "open"}""");
                var body = fuzzer.Next($"[{string.Join(", ", items)}]", "id");
                using var response = await SendBytesAsync(server.Client, HttpMethod.Post, $"/api/v1/{plural}/batch", body.Bytes);
                var answer = await check.AnswerAsync(response, n);
                if (answer is not null && body.KeptIntact)
                {
                    var rejected = answer.IsSuccessStatusCode ? FuzzCheck.RejectedIndexes(answer.Json) : [0, 1, 2];
                    for (var i = 0; i < 3; i++)
                    {
                        var stored = await check.ReadAsync($"/api/v1/{plural}/fzb-{n}-{i}") is not null;
                        check.Expect(stored != rejected.Contains(i), n, $"item {i} was {(stored ? "stored" : "not stored")} but {(rejected.Contains(i) ? "rejected" : "not rejected")}");
                    }
                }

                break;
            }

            case "events" or "events-batch":
            {
                var count = endpoint == "events" ? 1 : 3;
                var items = Enumerable.Range(0, count).Select(i =>
                    $$$"""{"id": "fze-{{{n}}}-{{{i}}}", "contact": "fz-c", "type": "email_open", "occurredAt": "{{{at}}}", "url": "https://www.example.com/p?{{{i}}}", "properties": {"campaign": "nov", "n": {{{i}}}, "ok": true}}""").ToList();
                var body = fuzzer.Next(count == 1 ? items[0] : $"[{string.Join(", ", items)}]", "id", "contact");
                using var response = await SendBytesAsync(server.Client, HttpMethod.Post, endpoint == "events" ? "/api/v1/events" : "/api/v1/events/batch", body.Bytes);
                var answer = await check.AnswerAsync(response, n);
                if (answer is not null && body.KeptIntact)
                {
                    var rejected = answer.IsSuccessStatusCode ? FuzzCheck.RejectedIndexes(answer.Json) : [.. Enumerable.Range(0, count)];
                    for (var i = 0; i < count; i++)
                    {
                        check.ExpectEvent($"fze-{n}-{i}", stored: !rejected.Contains(i), n);
                    }
                }

                break;
            }

            case "outcomes":
                await check.AnswerAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/outcomes", fuzzer.Next(
                    $$"""[{"record": "contact", "id": "fz-c", "outcome": "converted", "occurredAt": "{{at}}"}, {"record": "deal", "id": "fz-d", "outcome": "won", "occurredAt": "{{at}}", "amount": 12500.5}]""").Bytes), n);
                break;
            case "adjustments":
                await check.AnswerAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/contacts/fz-c/adjustments", fuzzer.Next(
                    $$"""{"model": "test-model", "category": "fit", "points": 5, "reason": "call {{n}}", "expiresAt": "2030-01-01T00:00:00Z"}""").Bytes), n);
                break;
            case "collect":
            {
                var site = check.SiteKey ??= await CreateSiteAsync(server);
                var visitor = $"fz{n}";
                var body = fuzzer.Next(Visit(id: $"e{n}", visitor: visitor));
                var answer = await check.AnswerAsync(await CollectBytesAsync(server, site, body.Bytes, visitor), n);
                if (answer is { IsSuccessStatusCode: false })
                {
                    check.Expect(await check.ReadAsync($"/api/v1/contacts/v-{visitor}") is null, n, "a refused visit stored its visitor");
                }

                break;
            }

            case "models":
                await check.AnswerAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/models", fuzzer.Next(TestModel.Replace("\"test-model\"", "\"fz-m\"", StringComparison.Ordinal)).Bytes), n);
                break;
            case "model-validate":
                await check.AnswerAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/models/test-model/validate", fuzzer.Next(TestModel).Bytes), n);
                break;
            case "automations":
                await check.AnswerAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/automations", fuzzer.Next("""
                    {"name": "Hand MQLs to sales", "model": "test-model", "trigger": {"type": "score-above", "threshold": "mql"},
                     "conditions": {"not": {"field": "country", "eq": "XX"}},
                     "actions": [{"type": "set-lifecycle-stage", "stage": "mql"}, {"type": "add-tag", "tag": "sales-ready"}]}
                    """).Bytes), n);
                break;
            case "sites":
                await check.AnswerAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/sites", fuzzer.Next(
                    """{"name": "www", "origins": ["https://www.example.com"], "eventTypes": ["signup"]}""").Bytes), n);
                break;
            case "keys":
                await check.AnswerAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/keys", fuzzer.Next($$"""{"scope": "read", "name": "k{{n}}"}""").Bytes), n);
                break;
            case "email-links":
                await check.AnswerAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/api/v1/tracking/email-links", fuzzer.Next(
                    """{"contact": "fz-c", "campaign": "nov", "url": "https://www.example.com/offer"}""").Bytes), n);
                break;
            case "predictive-settings":
                await check.AnswerAsync(await SendBytesAsync(server.Client, HttpMethod.Put, "/api/v1/predictive/settings", fuzzer.Next(
                    """{"horizonDays": 90, "snapshotEveryDays": 7, "maxSnapshots": 12, "tiers": [0.25, 0.5, 0.75], "excludeFields": ["email"], "retrainEveryDays": 30}""").Bytes), n);
                break;
            case "dashboard-session":
                await check.AnswerAsync(await SendBytesAsync(server.Client, HttpMethod.Post, "/dashboard/session", fuzzer.Next("""{"key": "lsk_x_y"}""").Bytes), n);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "no fuzz case for this endpoint");
        }
    }

    /// <summary>What one fuzz run checks and what it found; events are checked at the end, in one read of the contact's timeline.</summary>
    private sealed class FuzzCheck(RunningServer server, string endpoint)
    {
        private readonly Dictionary<string, (bool Stored, int Case)> _events = [];

        public List<string> Failures { get; } = [];

        public string? SiteKey { get; set; }

        /// <summary>Checks an answer is not 5xx and a refusal is a problem with a code; returns its status and JSON (null when it failed).</summary>
        public async Task<FuzzAnswer?> AnswerAsync(HttpResponseMessage response, int n)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(Ct);
                var status = (int)response.StatusCode;
                if (status >= 500)
                {
                    Failures.Add($"{endpoint} case {n}: {status} {text}");
                    return null;
                }

                JsonElement json = default;
                if (text.Length > 0)
                {
                    json = JsonDocument.Parse(text).RootElement.Clone();
                }

                if (status >= 400 && (response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                    || !json.TryGetProperty("code", out _) || !json.TryGetProperty("detail", out _)))
                {
                    Failures.Add($"{endpoint} case {n}: {status} is not a problem with a code: {text}");
                }

                return new FuzzAnswer(response.IsSuccessStatusCode, json);
            }
        }

        public static List<int> RejectedIndexes(JsonElement json) =>
            json.TryGetProperty("rejected", out var rejected) ? [.. rejected.EnumerateArray().Select(r => r.GetProperty("index").GetInt32())] : [];

        /// <summary>The record as stored now (its JSON text, with its change time); null when there is none.</summary>
        public async Task<string?> ReadAsync(string url)
        {
            using var response = await server.Client.GetAsync(url, Ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            return text;
        }

        public void Expect(bool holds, int n, string what)
        {
            if (!holds)
            {
                Failures.Add($"{endpoint} case {n}: {what}");
            }
        }

        public void ExpectEvent(string id, bool stored, int n) => _events[id] = (stored, n);

        public async Task FinishAsync()
        {
            if (_events.Count == 0)
            {
                return;
            }

            var stored = (await EventIdsAsync(server.Client, "fz-c")).ToHashSet(StringComparer.Ordinal);
            foreach (var (id, (expected, n)) in _events)
            {
                Expect(stored.Contains(id) == expected, n, $"event {id} was {(expected ? "accepted but is not stored" : "refused or rejected but is stored")}");
            }
        }
    }

    private sealed record FuzzAnswer(bool IsSuccessStatusCode, JsonElement Json);
}
