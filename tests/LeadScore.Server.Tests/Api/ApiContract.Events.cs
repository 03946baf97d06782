using System.Net;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    [Fact]
    public async Task Event_SentTwice_IsAcceptedOnceAndTheSecondIsADuplicateThatChangesNothing()
    {
        await using var server = await StartServerAsync();
        var at = DaysAgo(1);

        var first = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", $$"""{"id": "e1", "contact": "c1", "type": "email_open", "occurredAt": "{{at}}"}"""));
        var second = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", $$"""{"id": "e1", "contact": "c1", "type": "demo_requested", "occurredAt": "{{at}}"}"""));

        first.GetProperty("accepted").GetInt32().ShouldBe(1);
        first.GetProperty("createdContacts").EnumerateArray().Select(c => c.GetString()).ShouldBe(["c1"]);
        second.GetProperty("accepted").GetInt32().ShouldBe(0);
        second.GetProperty("duplicates").GetInt32().ShouldBe(1);
        var timeline = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/c1/events", Ct));
        var events = timeline.GetProperty("events").EnumerateArray().ToList();
        events.Count.ShouldBe(1);
        events[0].GetProperty("type").GetString().ShouldBe("email_open");
    }

    [Fact]
    public async Task Event_Invalid_Returns422AndStoresNothing()
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(
            await PostAsync(server.Client, "/api/v1/events", $$"""{"id": "e1", "contact": "c1", "occurredAt": "{{DaysAgo(1)}}"}"""), HttpStatusCode.UnprocessableEntity);

        Detail(problem).ShouldContain("type");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Fact]
    public async Task EventBatch_MixedItems_CountsAcceptedDuplicatesAndRejectedWithReasons()
    {
        await using var server = await StartServerAsync();
        var at = DaysAgo(2);
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", $$"""{"id": "e0", "contact": "c1", "type": "email_open", "occurredAt": "{{at}}"}"""));
        var body = $$"""
            [
              {"id": "e1", "contact": "c1", "type": "email_open", "occurredAt": "{{at}}"},
              {"id": "e0", "contact": "c1", "type": "email_open", "occurredAt": "{{at}}"},
              {"id": "e2", "contact": "c1", "occurredAt": "{{at}}"},
              42,
              {"id": "e3", "contact": "c2", "type": "email_open", "occurredAt": "not a date"},
              {"id": "e4", "email": "bo@tiny.example", "type": "email_open", "occurredAt": "{{at}}"}
            ]
            """;

        var result = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events/batch", body));

        result.GetProperty("accepted").GetInt32().ShouldBe(2);
        result.GetProperty("duplicates").GetInt32().ShouldBe(1);
        var rejected = result.GetProperty("rejected").EnumerateArray().ToList();
        rejected.Select(r => r.GetProperty("index").GetInt32()).ShouldBe([2, 3, 4]);
        rejected.ShouldAllBe(r => !string.IsNullOrWhiteSpace(r.GetProperty("reason").GetString()));
        rejected[0].GetProperty("reason").GetString()!.ShouldContain("type");
        var timeline = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/c1/events", Ct));
        Ids(timeline.GetProperty("events")).Split(',').Order().ShouldBe(["e0", "e1"]);
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/contacts/c2", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EventBatch_Strict_RejectsUnknownContactsAndCreatesNone()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts", """{"id": "known"}"""), HttpStatusCode.Created);
        var at = DaysAgo(1);
        var body = $$"""
            [
              {"id": "e1", "contact": "known", "type": "email_open", "occurredAt": "{{at}}"},
              {"id": "e2", "contact": "stranger", "type": "email_open", "occurredAt": "{{at}}"}
            ]
            """;

        var result = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events/batch?strict=true", body));
        var single = await ShouldBeProblemAsync(
            await PostAsync(server.Client, "/api/v1/events?strict=true", $$"""{"id": "e3", "contact": "other", "type": "email_open", "occurredAt": "{{at}}"}"""),
            HttpStatusCode.UnprocessableEntity);

        result.GetProperty("accepted").GetInt32().ShouldBe(1);
        var rejected = result.GetProperty("rejected").EnumerateArray().Single();
        rejected.GetProperty("index").GetInt32().ShouldBe(1);
        rejected.GetProperty("reason").GetString()!.ShouldContain("stranger");
        Detail(single).ShouldContain("other");
        var contacts = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts", Ct));
        Ids(contacts.GetProperty("items")).ShouldBe("known");
    }

    [Fact]
    public async Task EventBatch_OverTenThousandItems_Returns413AndStoresNothing()
    {
        await using var server = await StartServerAsync();
        var at = DaysAgo(1);
        var body = "[" + string.Join(",", Enumerable.Range(0, 10_001).Select(i => $$$"""{"id":"e{{{i}}}","contact":"c{{{i % 7}}}","type":"email_open","occurredAt":"{{{at}}}"}""")) + "]";

        var problem = await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/events/batch", body), HttpStatusCode.RequestEntityTooLarge);

        Detail(problem).ShouldContain("10,000");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Fact]
    public async Task Timeline_ListsTheContactsEventsOldestFirst()
    {
        await using var server = await StartServerAsync();
        var body = $$$"""
            [
              {"id": "late", "contact": "c1", "type": "email_open", "occurredAt": "{{{DaysAgo(1)}}}"},
              {"id": "early", "contact": "c1", "type": "page_view", "occurredAt": "{{{DaysAgo(3)}}}", "properties": {"url": "/pricing"}},
              {"id": "other", "contact": "c2", "type": "email_open", "occurredAt": "{{{DaysAgo(2)}}}"}
            ]
            """;
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events/batch", body));

        var timeline = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/c1/events", Ct));

        timeline.GetProperty("id").GetString().ShouldBe("c1");
        Ids(timeline.GetProperty("events")).ShouldBe("early,late");
        timeline.GetProperty("events")[0].GetProperty("properties").GetProperty("url").GetString().ShouldBe("/pricing");
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/contacts/nobody/events", Ct), HttpStatusCode.NotFound);
    }
}
