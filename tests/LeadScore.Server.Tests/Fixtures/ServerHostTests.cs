using System.Net;
namespace LeadScore.Server.Tests.Fixtures;

public sealed class ServerHostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_OnANewDatabase_MakesAnAdminKeyThatTheApiAccepts()
    {
        await using var server = await RunningServer.StartSqliteAsync(cancellationToken: Ct);

        using var response = await server.Client.GetAsync("/api/v1/contacts", Ct);

        server.AdminKey.ShouldStartWith("lsk_");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
