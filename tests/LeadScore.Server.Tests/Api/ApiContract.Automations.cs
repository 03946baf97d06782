using System.Net;
using System.Text.Json;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    private const string MqlHandoff = """
        {"name": "Hand MQLs to sales", "model": "test-model", "trigger": {"type": "score-above", "threshold": "mql"},
         "conditions": {"not": {"field": "country", "eq": "XX"}},
         "actions": [{"type": "set-lifecycle-stage", "stage": "mql"}, {"type": "assign-owner", "roundRobin": ["ana", "ben"]},
                     {"type": "add-tag", "tag": "sales-ready"}, {"type": "webhook", "url": "https://crm.example.com/hooks/mql"}]}
        """;

    /// <summary>Events that take a new contact over the MQL threshold of the test model: a demo (40) and five opens (10).</summary>
    private static string CrossingEvents(string contact) =>
        "[" + string.Join(", ", new[] { "demo_requested", "email_open", "email_open", "email_open", "email_open", "email_open" }
            .Select((type, i) => $$"""{"id": "{{contact}}-e{{i}}", "contact": "{{contact}}", "type": "{{type}}", "occurredAt": "{{DaysAgo(0.1 + (i / 100.0))}}"}""")) + "]";

    [Fact]
    public async Task Automations_CreateListGetDelete_RoundTripWithTheSecretShownToAdmins()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);

        var created = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/automations", MqlHandoff), HttpStatusCode.Created);
        var id = created.GetProperty("automation").GetProperty("id").GetString()!;
        var list = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/automations", Ct));
        var one = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/automations/{id}", Ct));
        var secret = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/automations/{id}/secret", Ct));
        using var reader = server.ClientWith(await server.CreateKeyAsync(ApiKeyScope.Read, Ct));
        var hidden = await ShouldBeProblemAsync(await reader.GetAsync($"/api/v1/automations/{id}/secret", Ct), HttpStatusCode.Forbidden);
        using var deleted = await server.Client.DeleteAsync($"/api/v1/automations/{id}", Ct);
        var gone = await ShouldBeProblemAsync(await server.Client.GetAsync($"/api/v1/automations/{id}", Ct), HttpStatusCode.NotFound);

        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        created.GetProperty("secret").GetString().ShouldStartWith("whsec_");
        secret.GetProperty("secret").GetString().ShouldBe(created.GetProperty("secret").GetString());
        list.GetProperty("automations").EnumerateArray().Single().GetProperty("trigger").GetString().ShouldBe("score-above");
        one.GetProperty("definition").GetProperty("actions").GetArrayLength().ShouldBe(4);
        Code(hidden).ShouldBe("forbidden");
        Code(gone).ShouldBe("unknown-automation");
    }

    [Theory]
    [InlineData("""{"name": "x", "model": "test-model", "trigger": {"type": "score-above", "threshold": "sql"}, "actions": [{"type": "add-tag", "tag": "a"}]}""", "$.trigger.threshold", "has no threshold 'sql'")]
    [InlineData("""{"name": "x", "model": "test-model", "trigger": {"type": "disqualified"}, "actions": [{"type": "webhook", "url": "http://127.0.0.1:9/hook"}]}""", "$.actions[0].url", "--webhook-allow")]
    [InlineData("""{"name": "x", "model": "test-model", "trigger": {"type": "disqualified"}, "actions": [{"type": "webhook", "url": "http://10.1.2.3/hook"}]}""", "$.actions[0].url", "private")]
    [InlineData("""{"name": "x", "model": "test-model", "trigger": {"type": "disqualified"}, "actions": []}""", "$.actions", "1 to 20 actions")]
    [InlineData("""{"name": "x", "model": "test-model", "trigger": {"type": "disqualified"}, "actions": [{"type": "add-tag", "tag": "a"}], "applyToExisting": "yes"}""", "$.applyToExisting", "true or false")]
    public async Task Automations_Invalid_Are422WithThePathAndNothingSaved(string json, string path, string says)
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);

        var problem = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/automations", json), HttpStatusCode.UnprocessableEntity);

        Code(problem).ShouldBe("invalid-automation");
        var error = problem.GetProperty("errors").EnumerateArray().First(e => e.GetProperty("path").GetString() == path);
        error.GetProperty("message").GetString()!.ShouldContain(says);
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/automations", Ct))).GetProperty("automations").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Automations_WriteKey_CannotCreateThem()
    {
        await using var server = await StartServerAsync();
        using var writer = server.ClientWith(await server.CreateKeyAsync(ApiKeyScope.Write, Ct));

        var problem = await ShouldBeProblemAsync(await PostAsync(writer, "/api/v1/automations", MqlHandoff), HttpStatusCode.Forbidden);

        Detail(problem).ShouldContain("admin");
    }

    [Fact]
    public async Task Automations_LeadCrossesMqlThroughTheApi_IsHandedToSalesOnceWithAWebhookQueued()
    {
        await using var server = await StartServerAsync(new Hosting.ServerOptions { DeliveryPollInterval = TimeSpan.FromDays(1) });
        await PublishAsync(server.Client);
        var automation = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/automations", MqlHandoff), HttpStatusCode.Created);
        var id = automation.GetProperty("automation").GetProperty("id").GetString()!;

        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events/batch", CrossingEvents("ann")));
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events/batch", CrossingEvents("bob")));
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events",
            $$"""{"id": "ann-late", "contact": "ann", "type": "webinar_attended", "occurredAt": "{{DaysAgo(0.01)}}"}"""));

        var ann = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/ann", Ct));
        var bob = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/bob", Ct));
        var runs = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/automations/{id}/runs", Ct));
        var annRuns = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/ann/automation-runs", Ct));
        var deliveries = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/deliveries?automation={id}&state=pending", Ct));
        var dead = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/deliveries?state=dead", Ct));

        Fields(ann).GetProperty("lifecycleStage").GetString().ShouldBe("mql");
        Fields(ann).GetProperty("tag.sales-ready").GetBoolean().ShouldBeTrue();
        new[] { Fields(ann).GetProperty("owner").GetString(), Fields(bob).GetProperty("owner").GetString() }.ShouldBe(["ana", "ben"]);
        runs.GetProperty("items").GetArrayLength().ShouldBe(2);
        annRuns.GetProperty("items").EnumerateArray().Single().GetProperty("actions").GetArrayLength().ShouldBe(4);
        var queued = deliveries.GetProperty("items").EnumerateArray().ToList();
        queued.Count.ShouldBe(2);
        queued.Select(d => d.GetProperty("payload").GetProperty("contact").GetProperty("id").GetString()).Order().ShouldBe(["ann", "bob"]);
        queued[0].GetProperty("payload").GetProperty("contact").GetProperty("fields").GetProperty("owner").GetString().ShouldNotBeNull();
        dead.GetProperty("items").GetArrayLength().ShouldBe(0);
        var replay = await ShouldSucceedAsync(await server.Client.PostAsync($"/api/v1/deliveries/{queued[0].GetProperty("id").GetString()}/replay", null, Ct), HttpStatusCode.Accepted);
        replay.GetProperty("state").GetString().ShouldBe("pending");
        await ShouldBeProblemAsync(await server.Client.PostAsync("/api/v1/deliveries/nope/replay", null, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Automations_ApplyToExisting_RunsOnceForLeadsAlreadyAboveTheThreshold()
    {
        await using var server = await StartServerAsync(new Hosting.ServerOptions { DeliveryPollInterval = TimeSpan.FromDays(1) });
        await PublishAsync(server.Client);
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events/batch", CrossingEvents("ann")));

        var created = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/automations",
            MqlHandoff.TrimEnd().TrimEnd('}') + ", \"applyToExisting\": true}"), HttpStatusCode.Created);

        created.GetProperty("appliedToExisting").GetInt32().ShouldBe(1);
        created.GetProperty("automation").GetProperty("definition").TryGetProperty("applyToExisting", out _).ShouldBeFalse();
        Fields(await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/ann", Ct))).GetProperty("owner").GetString().ShouldBe("ana");
    }

    private static JsonElement Fields(JsonElement record) => record.TryGetProperty("fields", out var fields) ? fields : record;
}
