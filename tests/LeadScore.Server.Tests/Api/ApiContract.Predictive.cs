using System.Globalization;
using System.Net;
using System.Text.Json;
using LeadScore.Server.Features.Predictive;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    /// <summary>
    /// 240 contacts over the last 90 days: VPs at large companies convert far more often (so there is
    /// something to learn), about a third convert, all with email opens. Predictions learn "converts
    /// within 30 days" from snapshots every 15 days.
    /// </summary>
    protected static async Task ArrangeFunnelAsync(HttpClient client)
    {
        var random = new Random(5);
        var contacts = new List<string>();
        var events = new List<string>();
        var outcomes = new List<string>();
        for (var i = 0; i < 240; i++)
        {
            var vp = random.NextDouble() < 0.4;
            var converts = random.NextDouble() < (vp ? 0.6 : 0.12);
            var id = $"p{i:000}";
            contacts.Add($$"""{"id": "{{id}}", "jobTitle": "{{(vp ? "VP" : "Analyst")}}", "employees": {{(vp ? 500 : 20)}}, "createdAt": "{{DaysAgo(120)}}"}""");
            var opens = random.Next(1, 5);
            for (var e = 0; e < opens; e++)
            {
                events.Add($$"""{"id": "{{id}}-o{{e}}", "contact": "{{id}}", "type": "email_open", "occurredAt": "{{DaysAgo(random.Next(2, 100))}}"}""");
            }

            if (converts)
            {
                outcomes.Add($$"""{"record": "contact", "id": "{{id}}", "outcome": "converted", "occurredAt": "{{DaysAgo(random.Next(3, 85) + 0.5)}}"}""");
            }
        }

        await ShouldSucceedAsync(await PutAsync(client, "/api/v1/predictive/settings", """{"horizonDays": 30, "snapshotEveryDays": 15, "maxSnapshots": 4}"""));
        await ShouldSucceedAsync(await PostAsync(client, "/api/v1/contacts/batch", $"[{string.Join(",", contacts)}]"));
        await ShouldSucceedAsync(await PostAsync(client, "/api/v1/events/batch", $"[{string.Join(",", events)}]"));
        var recorded = await PostAsync(client, "/api/v1/outcomes", $"[{string.Join(",", outcomes)}]");
        recorded.IsSuccessStatusCode.ShouldBeTrue(await recorded.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonElement> TrainAndWaitAsync(HttpClient client)
    {
        var accepted = await ShouldSucceedAsync(await client.PostAsync("/api/v1/predictive/train", null, Ct), HttpStatusCode.Accepted);
        accepted.GetProperty("status").GetString().ShouldBe("/api/v1/predictive/status");
        var status = await EventuallyAsync(
            async () => await ShouldSucceedAsync(await client.GetAsync("/api/v1/predictive/status", Ct)),
            read => read.GetProperty("state").GetString() == "idle" && read.TryGetProperty("lastRun", out _),
            TimeSpan.FromMinutes(3), "the training's end");
        return status.GetProperty("lastRun");
    }

    [Fact]
    public async Task PredictiveTrain_LearnsFromOutcomes_AndEveryOpenContactGetsAProbabilityTierAndReasons()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);
        await ArrangeFunnelAsync(server.Client);

        var run = await TrainAndWaitAsync(server.Client);

        run.GetProperty("result").GetString().ShouldBe("trained", run.ToString());
        run.GetProperty("version").GetInt32().ShouldBe(1);
        var versions = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/predictive/models", Ct))).GetProperty("versions");
        var report = versions[0].GetProperty("report");
        report.GetProperty("metrics").GetProperty("auc").GetDouble().ShouldBeGreaterThan(0.65, $"VPs convert far more often: {report}");
        report.GetProperty("snapshots").GetArrayLength().ShouldBe(4);
        report.GetProperty("settings").GetProperty("horizonDays").GetInt32().ShouldBe(30);

        var leads = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/leads?sort=-probability&limit=1000", Ct))).GetProperty("items");
        var predicted = leads.EnumerateArray().Where(l => l.TryGetProperty("prediction", out _)).ToList();
        predicted.Count.ShouldBeGreaterThan(100);
        var probabilities = predicted.Select(l => l.GetProperty("prediction").GetProperty("probability").GetInt32()).ToList();
        probabilities.ShouldBe(probabilities.OrderDescending().ToList());
        predicted.Select(l => l.GetProperty("prediction").GetProperty("tier").GetString()).Distinct().ShouldBeSubsetOf(["very high", "high", "medium", "low"]);
        var top = predicted[0].GetProperty("prediction");
        (top.GetProperty("raising").GetArrayLength() + top.GetProperty("lowering").GetArrayLength()).ShouldBeGreaterThan(0);

        var topId = predicted[0].GetProperty("recordId").GetString()!;
        var scores = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/contacts/{topId}/scores", Ct));
        var prediction = scores.GetProperty("prediction");
        prediction.GetProperty("probability").GetInt32().ShouldBe(probabilities[0]);
        ShouldExplainItself(prediction);
        prediction.GetProperty("tier").GetString().ShouldBe("very high");
        prediction.GetProperty("tierMeaning").GetString()!.ShouldStartWith("top quarter of leads (");
        prediction.GetProperty("reasons").EnumerateArray().Sum(r => r.GetProperty("points").GetDouble())
            .ShouldBeGreaterThan(0, $"the most likely lead is above the typical one: {prediction}");
        var bottom = predicted[^1].GetProperty("prediction");
        ShouldExplainItself(bottom);
        bottom.GetProperty("reasons").EnumerateArray().Sum(r => r.GetProperty("points").GetDouble())
            .ShouldBeLessThan(0, $"the least likely lead is below the typical one: {bottom}");

        var veryHigh = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/leads?tier=very-high&limit=1000", Ct))).GetProperty("items");
        veryHigh.EnumerateArray().ShouldAllBe(l => l.GetProperty("prediction").GetProperty("tier").GetString() == "very high");
    }

    /// <summary>
    /// A prediction says what its tier means and sizes each reason: <c>reasons</c> holds the texts of
    /// <c>raising</c> and <c>lowering</c>, each with its direction and signed points.
    /// </summary>
    private static void ShouldExplainItself(JsonElement prediction)
    {
        prediction.GetProperty("tierMeaning").GetString()!.ShouldMatch(@"^(top|bottom) .+ of leads \((\d+% or more|below \d+%|\d+%( to \d+%)?)\)$");
        var reasons = prediction.GetProperty("reasons").EnumerateArray().ToList();
        reasons.ShouldNotBeEmpty(prediction.ToString());
        reasons.ShouldAllBe(r => r.GetProperty("direction").GetString() == "raises"
            ? r.GetProperty("points").GetDouble() > 0 : r.GetProperty("direction").GetString() == "lowers" && r.GetProperty("points").GetDouble() < 0);
        reasons.Where(r => r.GetProperty("direction").GetString() == "raises").Select(r => r.GetProperty("text").GetString())
            .ShouldBe(prediction.GetProperty("raising").EnumerateArray().Select(t => t.GetString()));
        reasons.Where(r => r.GetProperty("direction").GetString() == "lowers").Select(r => r.GetProperty("text").GetString())
            .ShouldBe(prediction.GetProperty("lowering").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task PredictiveTrain_WithoutOutcomes_SaysWhatIsMissingAndSavesNothing()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts/batch", """[{"id": "a", "createdAt": "2025-01-01"}]"""));

        var run = await TrainAndWaitAsync(server.Client);

        run.GetProperty("result").GetString().ShouldBe("refused");
        run.GetProperty("message").GetString()!.ShouldContain("more");
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/predictive/models", Ct))).GetProperty("versions").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task PredictiveModel_ShowsTimeOrderedMetricsBesideTheBaselinesAndTheLeakageCheck()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);
        await ArrangeFunnelAsync(server.Client);
        (await TrainAndWaitAsync(server.Client)).GetProperty("result").GetString().ShouldBe("trained");

        var model = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/predictive/models/1", Ct));

        var report = model.GetProperty("report");
        var metrics = report.GetProperty("metrics");
        metrics.GetProperty("validation").GetString()!.ShouldStartWith("time-ordered");
        metrics.GetProperty("shuffledAuc").GetDouble().ShouldBeInRange(0.5, 1);
        metrics.GetProperty("brier").GetDouble().ShouldBeInRange(0, 0.25);
        metrics.GetProperty("logLoss").GetDouble().ShouldBeGreaterThan(0);
        metrics.GetProperty("liftTop10").GetDouble().ShouldBeGreaterThan(1);
        metrics.GetProperty("calibration").EnumerateArray().Select(d => d.GetProperty("rows").GetInt32()).Sum().ShouldBeGreaterThan(0);
        var baselines = metrics.GetProperty("baselines").EnumerateArray().ToList();
        baselines.Select(b => b.GetProperty("name").GetString()).ShouldBe(["NaiveBayes", "score:test-model"]);
        baselines.ShouldAllBe(b => b.GetProperty("auc").GetDouble() > 0 && b.GetProperty("calibration").GetArrayLength() == 10);
        var leakage = report.GetProperty("leakage");
        leakage.GetProperty("flagged").ValueKind.ShouldBe(JsonValueKind.Array);
        leakage.GetProperty("leftOut").ValueKind.ShouldBeOneOf(JsonValueKind.True, JsonValueKind.False);
        report.GetProperty("leakageChecks").GetString()!.ShouldContain("when each field last changed");
        report.GetProperty("changedAfterConversion").GetArrayLength().ShouldBe(0, "no field changed after the contacts were created");
    }

    [Fact]
    public async Task PredictiveTrain_LeavesOutAFieldChangedAfterTheConversion_AndKeepsTheOnesSetAtCreation()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);
        await ArrangeFunnelAsync(server.Client);
        // A tag the sales team writes on every lead after calling them, today: after each conversion. It
        // predicts nothing, so only its dates can tell it was written after the outcome.
        var random = new Random(9);
        var tagged = Enumerable.Range(0, 240).Select(i => $$"""{"id": "p{{i:000}}", "callResult": "{{(random.Next(2) == 0 ? "reached" : "voicemail")}}"}""");
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts/batch", $"[{string.Join(",", tagged)}]"));

        (await TrainAndWaitAsync(server.Client)).GetProperty("result").GetString().ShouldBe("trained");

        var report = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/predictive/models/1", Ct))).GetProperty("report");
        var changed = report.GetProperty("changedAfterConversion").EnumerateArray().ToList();
        changed.Select(f => f.GetProperty("field").GetString()).ShouldBe(["callResult"], "jobTitle and employees were set when the contacts were created");
        changed[0].GetProperty("changedAfter").GetInt32().ShouldBe(changed[0].GetProperty("converters").GetInt32());
        changed[0].GetProperty("converters").GetInt32().ShouldBeGreaterThanOrEqualTo(FieldsChangedAfterConversion.Minimum);
        report.GetProperty("leakageChecks").GetString()!.ShouldContain("changed at or after the conversion");
        var leads = (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/leads?sort=-probability&limit=1000", Ct))).GetProperty("items");
        leads.EnumerateArray().Where(l => l.TryGetProperty("prediction", out _))
            .SelectMany(l => l.GetProperty("prediction").GetProperty("raising").EnumerateArray().Concat(l.GetProperty("prediction").GetProperty("lowering").EnumerateArray()))
            .ShouldNotContain(reason => reason.GetString()!.Contains("callResult", StringComparison.Ordinal), "the model never saw the field");
    }

    [Fact]
    public async Task ContactScores_BeforeAnyTraining_SayHowManyMoreConversionsThePredictionNeeds()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts/batch",
            """[{"id": "a", "createdAt": "2025-01-01"}, {"id": "b", "createdAt": "2025-01-01"}, {"id": "c", "createdAt": "2025-01-01"}]"""));
        var recorded = await PostAsync(server.Client, "/api/v1/outcomes",
            $$"""[{"record": "contact", "id": "b", "outcome": "converted", "occurredAt": "{{DaysAgo(3)}}"}, {"record": "contact", "id": "c", "outcome": "converted", "occurredAt": "{{DaysAgo(2)}}"}]""");
        recorded.IsSuccessStatusCode.ShouldBeTrue(await recorded.Content.ReadAsStringAsync(Ct));

        var scores = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/a/scores", Ct));

        (!scores.TryGetProperty("prediction", out var prediction) || prediction.ValueKind == JsonValueKind.Null).ShouldBeTrue();
        var pending = scores.GetProperty("predictionPending");
        pending.GetProperty("reason").GetString().ShouldBe("not-trained");
        pending.GetProperty("conversions").GetInt32().ShouldBe(2);
        pending.GetProperty("outcomesNeeded").GetInt32().ShouldBe(18);
        pending.GetProperty("detail").GetString().ShouldBe("No predictive model yet: it needs at least 18 more conversions (2 recorded, at least 20 needed).");
    }

    [Theory]
    [InlineData("""{"tiers": [0.5, 0.4, 0.9]}""", HttpStatusCode.UnprocessableEntity, "tiers must be three increasing quantiles")]
    [InlineData("""{"horizonDays": 0}""", HttpStatusCode.UnprocessableEntity, "horizonDays 0 is out of range")]
    [InlineData("""{"horizon": 30}""", HttpStatusCode.BadRequest, "horizon")]
    public async Task PredictiveSettings_Invalid_AreRefusedWithTheReasonAndKeepTheOldOnes(string body, HttpStatusCode status, string reason)
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(await PutAsync(server.Client, "/api/v1/predictive/settings", body), status);

        Detail(problem).ShouldContain(reason);
        var settings = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/predictive/settings", Ct));
        settings.GetProperty("horizonDays").GetInt32().ShouldBe(90);
        settings.GetProperty("tiers").EnumerateArray().Select(t => t.GetDouble().ToString(CultureInfo.InvariantCulture)).ShouldBe(["0.25", "0.5", "0.75"]);
    }

    [Fact]
    public async Task PredictiveTrain_NeedsAnAdminKey()
    {
        await using var server = await StartServerAsync();
        using var writer = server.ClientWith(await server.CreateKeyAsync(Storage.Records.ApiKeyScope.Write, Ct));

        await ShouldBeProblemAsync(await writer.PostAsync("/api/v1/predictive/train", null, Ct), HttpStatusCode.Forbidden);
        await ShouldBeProblemAsync(await PutAsync(writer, "/api/v1/predictive/settings", "{}"), HttpStatusCode.Forbidden);
        await ShouldSucceedAsync(await writer.GetAsync("/api/v1/predictive/status", Ct));
    }

    protected static async Task<JsonElement> WaitForVersionAsync(HttpClient client, int version)
    {
        var versions = await EventuallyAsync(
            async () => (await ShouldSucceedAsync(await client.GetAsync("/api/v1/predictive/models", Ct))).GetProperty("versions"),
            listed => listed.GetArrayLength() >= version,
            TimeSpan.FromMinutes(5), $"training version {version}");
        versions.GetArrayLength().ShouldBe(version, "the schedule trained more often than it should");
        return versions[0];
    }

    [Theory]
    [InlineData("tier=urgent", "invalid-tier", "very high, high, medium, low")]
    [InlineData("sort=-chance", "invalid-sort", "-probability")]
    public async Task Leads_WithAnUnknownTierOrSort_AreRefusedWithTheChoices(string query, string code, string choices)
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);

        var problem = await ShouldBeProblemAsync(await server.Client.GetAsync($"/api/v1/leads?{query}", Ct), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe(code);
        Detail(problem).ShouldContain(choices);
    }
}
