using System.Net;
using System.Text.Json;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    [Theory]
    [InlineData("contacts", """{"id": "r1", "email": "ana@northwind.example", "jobTitle": "VP"}""")]
    [InlineData("companies", """{"id": "r1", "name": "Northwind", "employees": 450}""")]
    [InlineData("deals", """{"id": "r1", "amount": 12500, "stage": "proposal"}""")]
    public async Task Create_NewRecord_Returns201WithLocationAndTheSecondCreateConflicts(string plural, string body)
    {
        await using var server = await StartServerAsync();

        using var created = await PostAsync(server.Client, $"/api/v1/{plural}", body);
        var again = await ShouldBeProblemAsync(await PostAsync(server.Client, $"/api/v1/{plural}", body), HttpStatusCode.Conflict);

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        created.Headers.Location!.ToString().ShouldBe($"/api/v1/{plural}/r1");
        (await BodyAsync(created)).GetProperty("id").GetString().ShouldBe("r1");
        Code(again).ShouldBe("exists");
        var fetched = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/{plural}/r1", Ct));
        fetched.GetProperty("id").GetString().ShouldBe("r1");
    }

    [Theory]
    [InlineData("contacts")]
    [InlineData("companies")]
    [InlineData("deals")]
    public async Task Put_CreatesThenUpdates_KeepingFieldsNotNamed(string plural)
    {
        await using var server = await StartServerAsync();

        var first = await ShouldSucceedAsync(await PutAsync(server.Client, $"/api/v1/{plural}/r1", """{"region": "emea", "tier": "gold"}"""), HttpStatusCode.Created);
        var second = await ShouldSucceedAsync(await PutAsync(server.Client, $"/api/v1/{plural}/r1", """{"tier": "silver"}"""));

        first.GetProperty("fields").GetProperty("tier").GetString().ShouldBe("gold");
        second.GetProperty("fields").GetProperty("tier").GetString().ShouldBe("silver");
        second.GetProperty("fields").GetProperty("region").GetString().ShouldBe("emea");
        var fetched = await ShouldSucceedAsync(await server.Client.GetAsync($"/api/v1/{plural}/r1", Ct));
        fetched.GetProperty("fields").GetProperty("region").GetString().ShouldBe("emea");
        fetched.GetProperty("fields").GetProperty("tier").GetString().ShouldBe("silver");
    }

    [Fact]
    public async Task Put_BodyIdDiffersFromUrl_Returns400AndStoresNothing()
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(await PutAsync(server.Client, "/api/v1/contacts/c1", """{"id": "c2"}"""), HttpStatusCode.BadRequest);

        Code(problem).ShouldBe("id-mismatch");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Theory]
    [InlineData("contacts")]
    [InlineData("companies")]
    [InlineData("deals")]
    public async Task Patch_MissingRecord_Returns404AndCreatesNothing(string plural)
    {
        await using var server = await StartServerAsync();

        await ShouldBeProblemAsync(await PatchAsync(server.Client, $"/api/v1/{plural}/nobody", """{"tier": "gold"}"""), HttpStatusCode.NotFound);

        (await CountAsync(server.Client, plural)).ShouldBe(0);
    }

    [Fact]
    public async Task Patch_ExistingContact_ChangesOnlyTheNamedFields()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts", """{"id": "c1", "jobTitle": "VP", "country": "US"}"""), HttpStatusCode.Created);

        var patched = await ShouldSucceedAsync(await PatchAsync(server.Client, "/api/v1/contacts/c1", """{"country": "CA"}"""));

        patched.GetProperty("fields").GetProperty("country").GetString().ShouldBe("CA");
        patched.GetProperty("fields").GetProperty("jobTitle").GetString().ShouldBe("VP");
    }

    [Theory]
    [InlineData("contacts")]
    [InlineData("companies")]
    [InlineData("deals")]
    public async Task Get_UnknownId_Returns404Problem(string plural)
    {
        await using var server = await StartServerAsync();

        var problem = await ShouldBeProblemAsync(await server.Client.GetAsync($"/api/v1/{plural}/nobody", Ct), HttpStatusCode.NotFound);

        Detail(problem).ShouldContain("nobody");
    }

    [Fact]
    public async Task List_PagedWithCursor_VisitsEveryRecordOnceInIdOrder()
    {
        await using var server = await StartServerAsync();
        var items = Enumerable.Range(0, 25).Select(i => $$"""{"id": "c{{i:D2}}", "n": {{i}}}""");
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts/batch", "[" + string.Join(",", items) + "]"));

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = "/api/v1/contacts?limit=10" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await ShouldSucceedAsync(await server.Client.GetAsync(url, Ct));
            page.GetProperty("items").GetArrayLength().ShouldBeLessThanOrEqualTo(10);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null && pages < 10);

        seen.ShouldBe(Enumerable.Range(0, 25).Select(i => $"c{i:D2}").ToList());
        pages.ShouldBe(3);
    }

    [Fact]
    public async Task Batch_MixedItems_StoresTheValidOnesAndRejectsTheOthersAtTheirPositions()
    {
        await using var server = await StartServerAsync();
        const string body = """
            [
              {"id": "c1", "jobTitle": "VP"},
              "not an object",
              {"jobTitle": "no id"},
              {"id": "c1", "jobTitle": "again"},
              {"id": "c2", "employees": 40}
            ]
            """;

        var result = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts/batch", body));

        result.GetProperty("written").GetInt32().ShouldBe(2);
        var rejected = result.GetProperty("rejected").EnumerateArray().ToList();
        rejected.Select(r => r.GetProperty("index").GetInt32()).ShouldBe([1, 2, 3]);
        rejected.ShouldAllBe(r => !string.IsNullOrWhiteSpace(r.GetProperty("reason").GetString()));
        rejected[2].GetProperty("reason").GetString()!.ShouldContain("twice");
        var stored = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts", Ct));
        Ids(stored.GetProperty("items")).ShouldBe("c1,c2");
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/c1", Ct)))
            .GetProperty("fields").GetProperty("jobTitle").GetString().ShouldBe("VP");
    }

    [Fact]
    public async Task Batch_NotAnArray_Returns400AndStoresNothing()
    {
        await using var server = await StartServerAsync();

        await ShouldBeProblemAsync(await PostAsync(server.Client, "/api/v1/deals/batch", """{"id": "d1"}"""), HttpStatusCode.BadRequest);

        (await CountAsync(server.Client, "deals")).ShouldBe(0);
    }

    [Theory]
    [InlineData("contacts")]
    [InlineData("companies")]
    [InlineData("deals")]
    public async Task Delete_Existing_Returns204ThenTheRecordIsGone(string plural)
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PutAsync(server.Client, $"/api/v1/{plural}/r1", """{"tier": "gold"}"""), HttpStatusCode.Created);

        using var deleted = await server.Client.DeleteAsync($"/api/v1/{plural}/r1", Ct);
        var again = await server.Client.DeleteAsync($"/api/v1/{plural}/r1", Ct);

        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await ShouldBeProblemAsync(again, HttpStatusCode.NotFound);
        await ShouldBeProblemAsync(await server.Client.GetAsync($"/api/v1/{plural}/r1", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Erase_WithAdminKey_RemovesTheContactWithItsEventsScoresAndHistory()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts", """{"id": "c1", "jobTitle": "VP"}"""), HttpStatusCode.Created);
        await PublishAsync(server.Client);
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/events", $$"""{"id": "e1", "contact": "c1", "type": "demo_requested", "occurredAt": "{{DaysAgo(1)}}"}"""));
        var write = server.ClientWith(await server.CreateKeyAsync(LeadScore.Storage.Records.ApiKeyScope.Write, Ct));

        var refused = await ShouldBeProblemAsync(await write.PostAsync("/api/v1/contacts/c1/erase", null, Ct), HttpStatusCode.Forbidden);
        var erased = await ShouldSucceedAsync(await server.Client.PostAsync("/api/v1/contacts/c1/erase", null, Ct));

        Detail(refused).ShouldContain("admin");
        erased.GetProperty("events").GetInt32().ShouldBe(1);
        erased.GetProperty("scores").GetInt32().ShouldBe(1);
        erased.GetProperty("historyRows").GetInt32().ShouldBeGreaterThanOrEqualTo(2);
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/contacts/c1", Ct), HttpStatusCode.NotFound);
        await ShouldBeProblemAsync(await server.Client.GetAsync("/api/v1/contacts/c1/events", Ct), HttpStatusCode.NotFound);
        var history = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/c1/history", Ct));
        history.GetProperty("entries").GetArrayLength().ShouldBe(0);
        var leads = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/leads", Ct));
        leads.GetProperty("items").GetArrayLength().ShouldBe(0);
    }
}
