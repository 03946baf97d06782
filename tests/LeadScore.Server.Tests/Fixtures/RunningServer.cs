using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadScore.Server.Hosting;
using LeadScore.Storage.Records;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Server.Tests.Fixtures;

/// <summary>
/// A real LeadScore server on 127.0.0.1 (Kestrel, a free port) over a real database, with the admin
/// key its first start made for the default workspace. <see cref="Client"/> sends that key.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly ServerHost _host;
    private readonly IDisposable? _database;

    private RunningServer(ServerHost host, IDisposable? database, Uri address, string? adminKey)
    {
        _host = host;
        _database = database;
        Address = address;
        AdminKey = host.FirstKey?.Secret ?? adminKey
            ?? throw new ArgumentException("The database already has keys: pass the admin key of its first start.", nameof(adminKey));
        Client = ClientWith(AdminKey);
    }

    public Uri Address { get; }

    /// <summary>The text of the admin key of the default workspace.</summary>
    public string AdminKey { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _host.App.Services;

    /// <summary>Starts a server over a new SQLite file, removed when the server is disposed.</summary>
    public static Task<RunningServer> StartSqliteAsync(ServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var file = new SqliteFile();
        return StartAsync((options ?? new ServerOptions()) with { Connection = file.Path }, file, cancellationToken);
    }

    /// <summary>Starts a server over a new database of the tests' PostgreSQL.</summary>
    public static async Task<RunningServer> StartPostgresAsync(PostgresServer postgres, ServerOptions? options = null, CancellationToken cancellationToken = default) =>
        await StartAsync((options ?? new ServerOptions()) with { Connection = await postgres.CreateDatabaseAsync(cancellationToken) }, null, cancellationToken);

    /// <summary>
    /// Starts a server over <paramref name="options"/>' database, which <paramref name="database"/> (when
    /// given) removes on dispose. On a database a server started before, pass that server's <paramref name="adminKey"/>.
    /// </summary>
    public static async Task<RunningServer> StartAsync(ServerOptions options, IDisposable? database, CancellationToken cancellationToken, string? adminKey = null)
    {
        var host = await LeadScoreServer.CreateAsync(options with { Urls = "http://127.0.0.1:0" }, cancellationToken);
        await host.StartAsync(cancellationToken);
        return new RunningServer(host, database, host.Addresses[0], adminKey);
    }

    /// <summary>A client that sends the given key (or none) and checks each success answer against the OpenAPI document (<see cref="SchemaCheckingHandler"/>).</summary>
    public HttpClient ClientWith(string? key)
    {
        // Every answer is checked against the served OpenAPI document: the contract suite's calls are its examples.
        var client = new HttpClient(new SchemaCheckingHandler(Address)) { BaseAddress = Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Makes a key through the API (the admin key's workspace) and returns its text.</summary>
    public async Task<string> CreateKeyAsync(ApiKeyScope scope, CancellationToken cancellationToken)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/keys", new { scope = scope.ToString().ToLowerInvariant() }, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("secret").GetString()!;
    }

    /// <summary>Makes a key for another workspace (created when new) straight in the store, as 'leadscore apikey create' does.</summary>
    public async Task<string> CreateKeyAsync(string workspace, ApiKeyScope scope, CancellationToken cancellationToken)
    {
        var store = (LeadScore.Storage.ILeadStore)Services.GetService(typeof(LeadScore.Storage.ILeadStore))!;
        var created = await store.Keys.CreateApiKeyAsync(new LeadScore.Storage.WorkspaceId(workspace), scope, null, cancellationToken);
        return created.Secret;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.StopAsync(CancellationToken.None);
        await _host.DisposeAsync();
        _database?.Dispose();
    }
}
