using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;

namespace LeadScore.Server.Tests.Api;

public sealed class SqliteApiTests : ApiContract
{
    protected override Task<RunningServer> StartServerAsync(ServerOptions? options = null) =>
        RunningServer.StartSqliteAsync(options, Ct);
}
