using LeadScore.Storage.Records;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LeadScore.Server.Hosting;

/// <summary>
/// A configured LeadScore server, not yet listening. <see cref="FirstKey"/> is the admin key made
/// because the database had none: its text exists only here, so the caller must show it once.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    internal ServerHost(WebApplication app, CreatedApiKey? firstKey)
    {
        App = app;
        FirstKey = firstKey;
    }

    public WebApplication App { get; }

    public CreatedApiKey? FirstKey { get; }

    /// <summary>The addresses the server listens on, once started (with the real port when 0 was asked for).</summary>
    public IReadOnlyList<Uri> Addresses =>
        [.. (App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(a => new Uri(a))];

    public Task StartAsync(CancellationToken cancellationToken = default) => App.StartAsync(cancellationToken);

    /// <summary>Runs until the process is asked to stop (Ctrl+C, SIGTERM), then finishes in-flight requests.</summary>
    public Task RunAsync(CancellationToken cancellationToken = default) => App.RunAsync(cancellationToken);

    /// <summary>Completes when the process is asked to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => App.WaitForShutdownAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => App.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
