using System.Security.Cryptography;
using System.Text;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task CreateApiKey_Admin_ReturnsKeyTextOfTheDocumentedFormat()
    {
        var created = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);

        created.Secret.ShouldMatch("^lsk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$");
        created.Secret.ShouldStartWith($"lsk_{created.Key.Id}_");
        (created.Key.Workspace, created.Key.Name, created.Key.Scope, created.Key.CreatedAt, created.Key.RevokedAt)
            .ShouldBe((Default, "admin key", ApiKeyScope.Admin, Some.Now, null));
        (await Store.Keys.FindApiKeyAsync(created.Secret, Ct)).ShouldBe(created.Key);
    }

    [Fact]
    public async Task CreateApiKey_Twice_MakesDifferentKeys()
    {
        var first = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Read, null, Ct);
        var second = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Read, "dashboard", Ct);

        first.Key.Id.ShouldNotBe(second.Key.Id);
        first.Secret.ShouldNotBe(second.Secret);
        (first.Key.Name, second.Key.Name).ShouldBe(("read key", "dashboard"));
    }

    [Fact]
    public async Task CreateApiKey_NewWorkspace_CreatesTheWorkspace()
    {
        var acme = new WorkspaceId("acme");

        var created = await Store.Keys.CreateApiKeyAsync(acme, ApiKeyScope.Write, null, Ct);

        created.Key.Workspace.ShouldBe(acme);
        (await Store.Records.UpsertContactsAsync(acme, [Some.Contact("c1")], Ct)).Written.ShouldBe(1);
    }

    [Fact]
    public async Task CreateApiKey_Stored_KeepsOnlyTheSha256OfTheText()
    {
        var created = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);

        await using var dialect = SqlDialect.For(Connection);
        await using var connection = await dialect.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT secret_hash FROM api_keys";
        var stored = (string?)await command.ExecuteScalarAsync(Ct);
        stored.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(created.Secret))));
    }

    [Fact]
    public async Task FindApiKey_MalformedOrUnknown_ReturnsNull()
    {
        var created = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);
        var last = created.Secret[^1];
        var tampered = created.Secret[..^1] + (last == 'A' ? 'B' : 'A');
        var otherId = "lsk_zzzzzzzzzzzz" + created.Secret["lsk_zzzzzzzzzzzz".Length..];

        string[] presented = [tampered, otherId, created.Secret + "x", created.Secret.ToUpperInvariant(), "", "lsk_", "Bearer " + created.Secret];

        foreach (var text in presented)
        {
            (await Store.Keys.FindApiKeyAsync(text, Ct)).ShouldBeNull(text);
        }
    }

    [Fact]
    public async Task RevokeApiKey_Revoked_IsNotFoundButStaysListed()
    {
        var created = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);
        Clock.Advance(TimeSpan.FromHours(1));

        var revoked = await Store.Keys.RevokeApiKeyAsync(Default, created.Key.Id, Ct);

        revoked.ShouldBeTrue();
        (await Store.Keys.FindApiKeyAsync(created.Secret, Ct)).ShouldBeNull();
        var listed = (await Store.Keys.ListApiKeysAsync(Default, Ct)).ShouldHaveSingleItem();
        listed.RevokedAt.ShouldBe(Some.Now.AddHours(1));
        listed.Allows(ApiKeyScope.Read).ShouldBeFalse();
    }

    [Fact]
    public async Task ApiKeys_OfWorkspaceA_NeverListOrRevokeInB()
    {
        var a = new WorkspaceId("a");
        var b = new WorkspaceId("b");
        var keyOfA = await Store.Keys.CreateApiKeyAsync(a, ApiKeyScope.Admin, null, Ct);
        var keyOfB = await Store.Keys.CreateApiKeyAsync(b, ApiKeyScope.Read, null, Ct);

        var revokedFromB = await Store.Keys.RevokeApiKeyAsync(b, keyOfA.Key.Id, Ct);

        revokedFromB.ShouldBeFalse();
        (await Store.Keys.ListApiKeysAsync(b, Ct)).Select(k => k.Id).ShouldBe([keyOfB.Key.Id]);
        (await Store.Keys.ListApiKeysAsync(a, Ct)).Select(k => k.Id).ShouldBe([keyOfA.Key.Id]);
        (await Store.Keys.FindApiKeyAsync(keyOfA.Secret, Ct)).ShouldNotBeNull().Workspace.ShouldBe(a);
    }

    [Fact]
    public async Task AnyApiKey_BeforeAndAfterTheFirst_SaysSo()
    {
        var before = await Store.Keys.AnyApiKeyAsync(Ct);

        await Store.Keys.CreateApiKeyAsync(new WorkspaceId("acme"), ApiKeyScope.Read, null, Ct);

        before.ShouldBeFalse();
        (await Store.Keys.AnyApiKeyAsync(Ct)).ShouldBeTrue();
    }

    [Fact]
    public void ApiKey_Scopes_IncludeTheOnesBefore()
    {
        var write = new ApiKey("k", Default, "w", ApiKeyScope.Write, Some.Now, null);

        (write.Allows(ApiKeyScope.Read), write.Allows(ApiKeyScope.Write), write.Allows(ApiKeyScope.Admin)).ShouldBe((true, true, false));
    }
}
