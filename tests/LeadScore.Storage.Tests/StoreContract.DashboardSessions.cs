using System.Security.Cryptography;
using System.Text;
using LeadScore.Storage.Keys;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Tests;

public abstract partial class StoreContract
{
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    [Fact]
    public async Task CreateDashboardSession_ForAKey_ReturnsAnIdOfTheDocumentedFormatThatFindsIt()
    {
        var key = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Write, "ana's key", Ct);

        var created = (await Store.Keys.CreateDashboardSessionAsync(Default, key.Key.Id, SessionLifetime, Ct)).ShouldNotBeNull();

        created.Secret.ShouldMatch("^lss_[A-Za-z0-9_-]{43}$");
        // The key's secret part, taken by position: base64url may itself hold '_' (and so start with one).
        created.Secret.ShouldNotContain(key.Secret[(KeyStore.KeyPrefix.Length + KeyStore.KeyIdLength + 1)..]);
        created.Session.ShouldBe(new DashboardSession(key.Key.Id, "ana's key", Default, ApiKeyScope.Write, Some.Now, Some.Now + SessionLifetime, null, null));
        (await Store.Keys.FindDashboardSessionAsync(created.Secret, Ct)).ShouldBe(created.Session);
        created.Session.StateAt(Some.Now).ShouldBe(DashboardSessionState.Active);
    }

    [Fact]
    public async Task CreateDashboardSession_Stored_KeepsOnlyTheSha256OfTheId()
    {
        var key = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);

        var created = (await Store.Keys.CreateDashboardSessionAsync(Default, key.Key.Id, SessionLifetime, Ct)).ShouldNotBeNull();

        await using var dialect = SqlDialect.For(Connection);
        await using var connection = await dialect.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id_hash, key_id FROM dashboard_sessions";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        (await reader.ReadAsync(Ct)).ShouldBeTrue();
        reader.GetString(0).ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(created.Secret))));
        reader.GetString(1).ShouldBe(key.Key.Id);
        (await reader.ReadAsync(Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateDashboardSession_RevokedUnknownOrOtherWorkspacesKey_ReturnsNull()
    {
        var revoked = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);
        await Store.Keys.RevokeApiKeyAsync(Default, revoked.Key.Id, Ct);
        var ofAcme = await Store.Keys.CreateApiKeyAsync(new WorkspaceId("acme"), ApiKeyScope.Admin, null, Ct);

        var withRevoked = await Store.Keys.CreateDashboardSessionAsync(Default, revoked.Key.Id, SessionLifetime, Ct);
        var withUnknown = await Store.Keys.CreateDashboardSessionAsync(Default, "zzzzzzzzzzzz", SessionLifetime, Ct);
        var withAcmes = await Store.Keys.CreateDashboardSessionAsync(Default, ofAcme.Key.Id, SessionLifetime, Ct);

        (withRevoked, withUnknown, withAcmes).ShouldBe((null, null, null));
    }

    [Fact]
    public async Task RevokeDashboardSession_ThenFind_IsSignedOut_AndOtherSessionsOfTheKeyLive()
    {
        var key = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);
        var signedOut = (await Store.Keys.CreateDashboardSessionAsync(Default, key.Key.Id, SessionLifetime, Ct))!;
        var other = (await Store.Keys.CreateDashboardSessionAsync(Default, key.Key.Id, SessionLifetime, Ct))!;
        Clock.Advance(TimeSpan.FromMinutes(5));

        var revoked = await Store.Keys.RevokeDashboardSessionAsync(signedOut.Secret, Ct);

        revoked.ShouldBeTrue();
        var found = (await Store.Keys.FindDashboardSessionAsync(signedOut.Secret, Ct)).ShouldNotBeNull();
        found.RevokedAt.ShouldBe(Some.Now.AddMinutes(5));
        found.StateAt(Clock.GetUtcNow()).ShouldBe(DashboardSessionState.SignedOut);
        (await Store.Keys.FindDashboardSessionAsync(other.Secret, Ct))!.StateAt(Clock.GetUtcNow()).ShouldBe(DashboardSessionState.Active);
        (await Store.Keys.RevokeDashboardSessionAsync("lss_" + new string('A', 43), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task RevokeApiKey_WithSessions_EndsThemAll()
    {
        var key = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);
        var other = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Read, null, Ct);
        var first = (await Store.Keys.CreateDashboardSessionAsync(Default, key.Key.Id, SessionLifetime, Ct))!;
        var second = (await Store.Keys.CreateDashboardSessionAsync(Default, key.Key.Id, SessionLifetime, Ct))!;
        var ofOther = (await Store.Keys.CreateDashboardSessionAsync(Default, other.Key.Id, SessionLifetime, Ct))!;
        Clock.Advance(TimeSpan.FromMinutes(1));

        await Store.Keys.RevokeApiKeyAsync(Default, key.Key.Id, Ct);

        foreach (var session in new[] { first, second })
        {
            var found = (await Store.Keys.FindDashboardSessionAsync(session.Secret, Ct)).ShouldNotBeNull();
            (found.RevokedAt, found.KeyRevokedAt).ShouldBe((Some.Now.AddMinutes(1), Some.Now.AddMinutes(1)));
            found.StateAt(Clock.GetUtcNow()).ShouldBe(DashboardSessionState.KeyRevoked);
        }

        (await Store.Keys.FindDashboardSessionAsync(ofOther.Secret, Ct))!.StateAt(Clock.GetUtcNow()).ShouldBe(DashboardSessionState.Active);
    }

    [Fact]
    public async Task FindDashboardSession_AtItsEnd_IsExpired_AndTheNextSignInClearsIt()
    {
        var key = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);
        var created = (await Store.Keys.CreateDashboardSessionAsync(Default, key.Key.Id, SessionLifetime, Ct))!;

        var justBefore = (await Store.Keys.FindDashboardSessionAsync(created.Secret, Ct))!.StateAt(Some.Now + SessionLifetime - TimeSpan.FromTicks(10));
        var atTheEnd = (await Store.Keys.FindDashboardSessionAsync(created.Secret, Ct))!.StateAt(Some.Now + SessionLifetime);
        Clock.Advance(SessionLifetime);
        await Store.Keys.CreateDashboardSessionAsync(Default, key.Key.Id, SessionLifetime, Ct);

        (justBefore, atTheEnd).ShouldBe((DashboardSessionState.Active, DashboardSessionState.Expired));
        (await Store.Keys.FindDashboardSessionAsync(created.Secret, Ct)).ShouldBeNull("a sign-in deletes its workspace's expired sessions");
    }

    [Fact]
    public async Task FindDashboardSession_MalformedOrUnknown_ReturnsNull()
    {
        var key = await Store.Keys.CreateApiKeyAsync(Default, ApiKeyScope.Admin, null, Ct);
        var created = (await Store.Keys.CreateDashboardSessionAsync(Default, key.Key.Id, SessionLifetime, Ct))!;
        var last = created.Secret[^1];
        var tampered = created.Secret[..^1] + (last == 'A' ? 'B' : 'A');

        string[] presented = [tampered, created.Secret + "x", created.Secret[1..], key.Secret, "", "lss_", "lss_" + new string('!', 43)];

        foreach (var text in presented)
        {
            (await Store.Keys.FindDashboardSessionAsync(text, Ct)).ShouldBeNull(text);
        }
    }
}
