using System.Net;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>The leads list's text search (<c>?q=</c>), which the dashboard's search box uses, on SQLite and PostgreSQL alike.</summary>
public abstract class LeadSearchContract
{
    private const string Model = """
        {"key": "m", "target": "contact", "scale": 100, "encoding": "points",
         "categories": [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "engagement", "dimension": "engagement", "budget": 50}],
         "rules": [{"key": "vp", "category": "fit", "points": 20, "when": {"field": "jobTitle", "contains": "VP"}},
                   {"key": "demo", "category": "engagement", "points": 30, "event": {"type": "demo_requested"}}]}
        """;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<RunningServer> StartServerAsync(ServerOptions? options = null);

    [Fact]
    public async Task Leads_SearchedByText_KeepOnlyThoseWhoseIdEmailOrNameContainsIt_InAnyCase()
    {
        await using var server = await StartServerAsync();
        await SendAsync(server.Client, HttpMethod.Post, "/api/v1/models", Model, HttpStatusCode.Created);
        await SendAsync(server.Client, HttpMethod.Post, "/api/v1/models/m/publish", "", HttpStatusCode.Accepted);
        await SendAsync(server.Client, HttpMethod.Put, "/api/v1/contacts/ann-1", """{"email": "ann@northwind.example", "firstName": "Ann", "lastName": "Lee", "jobTitle": "VP Sales"}""", HttpStatusCode.Created);
        await SendAsync(server.Client, HttpMethod.Put, "/api/v1/contacts/bob-2", """{"email": "bob@contoso.example", "firstName": "Bob", "lastName": "Marley"}""", HttpStatusCode.Created);
        await SendAsync(server.Client, HttpMethod.Put, "/api/v1/contacts/cy_3", """{"email": "cy@example.com", "firstName": "Cy", "lastName": "Northwood"}""", HttpStatusCode.Created);

        (await IdsAsync(server, "q=NORTHWIND")).ShouldBe(["ann-1"]);
        (await IdsAsync(server, "q=ann%20lee")).ShouldBe(["ann-1"]);
        (await IdsAsync(server, "q=north")).ShouldBe(["ann-1", "cy_3"]);
        (await IdsAsync(server, "q=bob-")).ShouldBe(["bob-2"]);
        (await IdsAsync(server, "q=_")).ShouldBe(["cy_3"], "LIKE wildcards in the text are plain characters");
        (await IdsAsync(server, "q=nobody")).ShouldBeEmpty();
        (await IdsAsync(server, "q=o&limit=1&sort=id")).ShouldBe(["ann-1"]);
        (await IdsAsync(server, "q=exampleann")).ShouldBeEmpty("a match lies within the email or the name, not across them");
        (await IdsAsync(server, "q=1ann")).ShouldBeEmpty("nor across the id and the email");
    }

    [Fact]
    public async Task Leads_SearchedAfterAContactIsRenamed_FindItByItsNewNameOnly()
    {
        await using var server = await StartServerAsync();
        await SendAsync(server.Client, HttpMethod.Post, "/api/v1/models", Model, HttpStatusCode.Created);
        await SendAsync(server.Client, HttpMethod.Post, "/api/v1/models/m/publish", "", HttpStatusCode.Accepted);
        await SendAsync(server.Client, HttpMethod.Put, "/api/v1/contacts/ann-1", """{"email": "ann@northwind.example", "firstName": "Ann", "lastName": "Lee"}""", HttpStatusCode.Created);
        (await IdsAsync(server, "q=ann%20lee")).ShouldBe(["ann-1"]);

        await SendAsync(server.Client, HttpMethod.Put, "/api/v1/contacts/ann-1", """{"email": "ann@fabrikam.example", "firstName": "Ann", "lastName": "Lin"}""", HttpStatusCode.OK);

        (await IdsAsync(server, "q=ann%20lee")).ShouldBeEmpty();
        (await IdsAsync(server, "q=northwind")).ShouldBeEmpty();
        (await IdsAsync(server, "q=ann%20lin")).ShouldBe(["ann-1"]);
        (await IdsAsync(server, "q=fabrikam")).ShouldBe(["ann-1"]);
    }

    private static async Task<List<string>> IdsAsync(RunningServer server, string query)
    {
        var text = await server.Client.GetStringAsync($"/api/v1/leads?model=m&{query}", Ct);
        using var body = JsonDocument.Parse(text);
        return [.. body.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("recordId").GetString()!).Order(StringComparer.Ordinal)];
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string url, string json, HttpStatusCode expected)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, Ct);
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync(Ct));
    }
}

public sealed class SqliteLeadSearchTests : LeadSearchContract
{
    protected override Task<RunningServer> StartServerAsync(ServerOptions? options = null) => RunningServer.StartSqliteAsync(options, Ct);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresLeadSearchTests(PostgresServer postgres) : LeadSearchContract
{
    protected override Task<RunningServer> StartServerAsync(ServerOptions? options = null) => RunningServer.StartPostgresAsync(postgres, options, Ct);
}
