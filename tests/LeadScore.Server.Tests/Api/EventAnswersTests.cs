using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Server.Tests.Api;

/// <summary>
/// What a user sees in the answers of POST /api/v1/events and /api/v1/events/batch: the contact an
/// event created, where to send arrays, the scores an event left, and a warning for a mistyped type.
/// Run once over SQLite and once over PostgreSQL, each test on its own server and database.
/// </summary>
public abstract class EventAnswersTests
{
    /// <summary>Events only: a demo request is worth 40 points, an email open 2; 30 points make an MQL.</summary>
    private const string Model = """
        {
          "key": "answers", "name": "Event answers model", "target": "contact", "scale": 100,
          "categories": [{"key": "engagement", "dimension": "engagement", "budget": 100}],
          "rules": [
            {"key": "demo", "category": "engagement", "points": 40, "event": {"type": "demo_requested"}},
            {"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 10, "event": {"type": "email_open"}}],
          "thresholds": [{"key": "mql", "points": 30}],
          "grades": [{"grade": "A", "min": 30}, {"grade": "C", "min": 0}]
        }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<RunningServer> StartServerAsync();

    [Fact]
    public async Task Event_NamingOnlyAnUnknownEmail_ListsTheContactItCreated()
    {
        await using var server = await StartServerAsync();

        var answer = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", Event("e1", "email_open", email: "Ann@Example.com")));

        answer.GetProperty("accepted").GetInt32().ShouldBe(1);
        answer.GetProperty("createdContacts").EnumerateArray().Select(c => c.GetString()).ShouldBe(["ann@example.com"]);
        var again = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", Event("e2", "email_open", email: "ann@example.com")));
        again.GetProperty("createdContacts").GetArrayLength().ShouldBe(0, "the contact exists now");
    }

    [Fact]
    public async Task Event_SentAsAnArray_IsRefusedWithAPointerToTheBatchEndpoint()
    {
        await using var server = await StartServerAsync();

        using var response = await PostAsync(server.Client, "/api/v1/events", $"[{Event("e1", "email_open", contact: "c1")}]");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        problem.GetProperty("code").GetString().ShouldBe("wrong-shape");
        problem.GetProperty("detail").GetString()!.ShouldContain("/api/v1/events/batch");
        var timeline = await server.Client.GetAsync("/api/v1/contacts/c1/events", Ct);
        timeline.StatusCode.ShouldBe(HttpStatusCode.NotFound, "nothing was stored");
    }

    [Fact]
    public async Task Event_UnderAPublishedModel_AnswersWithTheNewScoreAndTheThresholdsItCrossed()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);

        var demo = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", Event("e1", "demo_requested", contact: "c1")));
        var open = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", Event("e2", "email_open", contact: "c1")));

        var first = demo.GetProperty("scores").EnumerateArray().ShouldHaveSingleItem();
        first.GetProperty("model").GetString().ShouldBe("answers");
        first.GetProperty("contact").GetString().ShouldBe("c1");
        first.GetProperty("points").GetInt32().ShouldBe(40);
        first.GetProperty("grade").GetString().ShouldBe("A");
        first.TryGetProperty("previousScore", out _).ShouldBeFalse("c1 had no score before its first event");
        first.GetProperty("thresholdsCrossed").EnumerateArray().Select(t => t.GetString()).ShouldBe(["mql"]);
        var second = open.GetProperty("scores").EnumerateArray().ShouldHaveSingleItem();
        second.GetProperty("points").GetInt32().ShouldBe(42);
        second.GetProperty("previousScore").GetInt32().ShouldBe(first.GetProperty("score").GetInt32());
        second.GetProperty("thresholdsCrossed").GetArrayLength().ShouldBe(0, "c1 was an MQL already");
        open.GetProperty("accepted").GetInt32().ShouldBe(1);
        open.GetProperty("duplicates").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Event_OfAMistypedType_IsStoredWithAWarningNamingTheTypeMeant()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);

        var answer = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", Event("e1", "demo_requsted", contact: "c1")));

        answer.GetProperty("accepted").GetInt32().ShouldBe(1);
        var warning = answer.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem();
        warning.GetProperty("index").GetInt32().ShouldBe(0);
        warning.GetProperty("id").GetString().ShouldBe("e1");
        warning.GetProperty("code").GetString().ShouldBe("unknown-event-type");
        warning.GetProperty("didYouMean").GetString().ShouldBe("demo_requested");
        warning.GetProperty("message").GetString().ShouldBe("'demo_requsted' is a type no stored event has and no published model reads; did you mean 'demo_requested'?");
        var timeline = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/c1/events", Ct));
        timeline.GetProperty("events").EnumerateArray().ShouldHaveSingleItem().GetProperty("type").GetString().ShouldBe("demo_requsted");
    }

    [Fact]
    public async Task EventBatch_WithAMistypedType_WarnsForThatItemByIndex_AndKnowsTypesAlreadyStored()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server.Client);
        var stored = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", Event("e0", "webinar_attended", contact: "c1")));
        var body = $"[{Event("e1", "demo_requested", contact: "c1")}, {Event("e2", "webinar_attended", contact: "c2")}, {Event("e3", "webinar_atended", contact: "c2")}, {Event("e4", "emial_open", contact: "c3")}]";

        var answer = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events/batch", body));

        stored.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem().GetProperty("message").GetString()
            .ShouldBe("'webinar_attended' is a type no stored event has and no published model reads; it is stored, but nothing scores it yet.");
        answer.GetProperty("accepted").GetInt32().ShouldBe(4);
        var warnings = answer.GetProperty("warnings").EnumerateArray().ToList();
        warnings.Select(w => w.GetProperty("index").GetInt32()).ShouldBe([2, 3]);
        warnings.Select(w => w.GetProperty("id").GetString()).ShouldBe(["e3", "e4"]);
        warnings.Select(w => w.GetProperty("didYouMean").GetString()).ShouldBe(["webinar_attended", "email_open"]);
    }

    /// <summary>Saves the model and publishes it: scoring uses it from the next transaction on, so no need to wait for its (empty) re-score job.</summary>
    private static async Task PublishAsync(HttpClient client)
    {
        (await ShouldSucceedAsync(await PostAsync(client, "/api/v1/models", Model), HttpStatusCode.Created)).ValueKind.ShouldBe(JsonValueKind.Object);
        (await ShouldSucceedAsync(await client.PostAsync("/api/v1/models/answers/publish", null, Ct), HttpStatusCode.Accepted)).ValueKind.ShouldBe(JsonValueKind.Object);
    }

    private static string Event(string id, string type, string? contact = null, string? email = null) =>
        $$"""{"id": "{{id}}", {{(contact is null ? $"\"email\": \"{email}\"" : $"\"contact\": \"{contact}\"")}}, "type": "{{type}}", "occurredAt": "{{HourAgo}}"}""";

    private static string HourAgo => DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private static async Task<JsonElement> ShouldSucceedAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(status, text);
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}

public sealed class SqliteEventAnswersTests : EventAnswersTests
{
    protected override Task<RunningServer> StartServerAsync() => RunningServer.StartSqliteAsync(cancellationToken: TestContext.Current.CancellationToken);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresEventAnswersTests(PostgresServer postgres) : EventAnswersTests
{
    protected override Task<RunningServer> StartServerAsync() => RunningServer.StartPostgresAsync(postgres, null, TestContext.Current.CancellationToken);
}
