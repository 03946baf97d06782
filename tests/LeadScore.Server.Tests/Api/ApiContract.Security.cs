using System.Net;
using LeadScore.Server.Hosting;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Tests.Api;

public abstract partial class ApiContract
{
    [Theory]
    [InlineData(null)]
    [InlineData("lsk_unknown_0000000000000000000000000000000000000000")]
    [InlineData("not-even-a-key")]
    public async Task NoOrUnknownKey_Returns401WithBearerChallenge(string? key)
    {
        await using var server = await StartServerAsync();
        using var client = server.ClientWith(key);

        using var response = await client.GetAsync("/api/v1/contacts", Ct);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized);

        challenge.ShouldStartWith("Bearer");
        Detail(problem).ShouldContain(key is null ? "needs an API key" : "unknown");
    }

    [Fact]
    public async Task RevokedKey_Returns401AtOnce()
    {
        await using var server = await StartServerAsync();
        var created = await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/keys", """{"scope": "write", "name": "crm sync"}"""), HttpStatusCode.Created);
        using var client = server.ClientWith(created.GetProperty("secret").GetString());
        await ShouldSucceedAsync(await client.GetAsync("/api/v1/contacts", Ct));

        using var revoked = await server.Client.DeleteAsync($"/api/v1/keys/{created.GetProperty("key").GetProperty("id").GetString()}", Ct);
        var problem = await ShouldBeProblemAsync(await client.GetAsync("/api/v1/contacts", Ct), HttpStatusCode.Unauthorized);

        revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        Detail(problem).ShouldContain("revoked");
        var keys = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/keys", Ct));
        keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "crm sync")
            .TryGetProperty("revokedAt", out _).ShouldBeTrue();
        await ShouldBeProblemAsync(await server.Client.DeleteAsync("/api/v1/keys/nope", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReadKey_CannotWrite_403NamingTheScope()
    {
        await using var server = await StartServerAsync();
        using var read = server.ClientWith(await server.CreateKeyAsync(ApiKeyScope.Read, Ct));

        await ShouldSucceedAsync(await read.GetAsync("/api/v1/contacts", Ct));
        var contact = await ShouldBeProblemAsync(await PostAsync(read, "/api/v1/contacts", """{"id": "c1"}"""), HttpStatusCode.Forbidden);
        var events = await ShouldBeProblemAsync(await PostAsync(read, "/api/v1/events/batch", "[]"), HttpStatusCode.Forbidden);

        Detail(contact).ShouldContain("'read'");
        Detail(contact).ShouldContain("'write'");
        Code(events).ShouldBe("forbidden");
        (await CountAsync(server.Client, "contacts")).ShouldBe(0);
    }

    [Fact]
    public async Task WriteKey_CannotPublishEraseOrManageKeys()
    {
        await using var server = await StartServerAsync();
        await ShouldSucceedAsync(await PostAsync(server.Client, "/api/v1/contacts", """{"id": "c1"}"""), HttpStatusCode.Created);
        using var write = server.ClientWith(await server.CreateKeyAsync(ApiKeyScope.Write, Ct));
        await ShouldSucceedAsync(await PostAsync(write, "/api/v1/models", TestModel), HttpStatusCode.Created);

        var refusals = new[]
        {
            await write.PostAsync("/api/v1/models/test-model/publish", null, Ct),
            await write.PostAsync("/api/v1/models/test-model/archive", null, Ct),
            await write.PostAsync("/api/v1/contacts/c1/erase", null, Ct),
            await write.GetAsync("/api/v1/keys", Ct),
            await PostAsync(write, "/api/v1/keys", """{"scope": "admin"}"""),
            await write.DeleteAsync("/api/v1/keys/anything", Ct),
        };

        foreach (var refusal in refusals)
        {
            Detail(await ShouldBeProblemAsync(refusal, HttpStatusCode.Forbidden)).ShouldContain("'admin'");
        }

        var models = await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/models", Ct));
        models.GetProperty("models")[0].TryGetProperty("published", out _).ShouldBeFalse();
        await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/contacts/c1", Ct));
        (await ShouldSucceedAsync(await server.Client.GetAsync("/api/v1/keys", Ct))).GetProperty("keys").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Keys_TheSecretIsShownOnceAndNeverListed()
    {
        await using var server = await StartServerAsync();

        using var response = await PostAsync(server.Client, "/api/v1/keys", """{"scope": "read", "name": "dashboard"}""");
        var created = await BodyAsync(response);
        using var list = await server.Client.GetAsync("/api/v1/keys", Ct);
        var listed = await list.Content.ReadAsStringAsync(Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var secret = created.GetProperty("secret").GetString()!;
        secret.ShouldStartWith("lsk_");
        created.GetProperty("key").GetProperty("scope").GetString().ShouldBe("read");
        listed.ShouldNotContain(secret);
        listed.ShouldNotContain(server.AdminKey);
        listed.ShouldNotContain("secret");
        listed.ShouldContain("dashboard");
        using var client = server.ClientWith(secret);
        await ShouldSucceedAsync(await client.GetAsync("/api/v1/contacts", Ct));
    }

    [Fact]
    public async Task RateLimit_TheThirdQuickRequestGets429WithRetryAfter_AndAnotherKeyIsNotLimited()
    {
        await using var server = await StartServerAsync(new ServerOptions { RequestsPerSecondPerKey = 1, BurstPerKey = 2 });
        using var other = server.ClientWith(await server.CreateKeyAsync("default", ApiKeyScope.Read, Ct));

        using var first = await server.Client.GetAsync("/api/v1/contacts", Ct);
        using var second = await server.Client.GetAsync("/api/v1/contacts", Ct);
        using var third = await server.Client.GetAsync("/api/v1/contacts", Ct);
        var retryAfter = third.Headers.RetryAfter;
        using var fromOther = await other.GetAsync("/api/v1/contacts", Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var problem = await ShouldBeProblemAsync(third, HttpStatusCode.TooManyRequests);
        Code(problem).ShouldBe("rate-limited");
        problem.GetProperty("type").GetString().ShouldBe("https://tools.ietf.org/html/rfc6585#section-4");
        retryAfter.ShouldNotBeNull();
        retryAfter.Delta.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        fromOther.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
