using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Server.Tests.Api;

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiTests(PostgresServer postgres) : ApiContract
{
    protected override Task<RunningServer> StartServerAsync(ServerOptions? options = null) =>
        RunningServer.StartPostgresAsync(postgres, options, Ct);
}
