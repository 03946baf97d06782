using System.Diagnostics;
using System.Text.RegularExpressions;
using LeadScore.Server.Hosting;
using LeadScore.Server.Tests.Fixtures;
using LeadScore.Storage.Tests.Fixtures;

namespace LeadScore.Server.Tests.Dashboard;

/// <summary>
/// A real server over the demo's generated funnel: <c>leadscore demo --no-serve</c> (the CLI from the
/// build output) fills a new SQLite file with a few hundred contacts, their companies, events and
/// outcomes, and publishes the balanced example model; the server then starts on that file.
/// </summary>
public sealed partial class DemoServer : IAsyncDisposable
{
    private DemoServer(RunningServer server) => Server = server;

    public RunningServer Server { get; }

    public Uri Address => Server.Address;

    public string AdminKey => Server.AdminKey;

    public HttpClient Client => Server.Client;

    public static async Task<DemoServer> StartAsync(int contacts, CancellationToken cancellationToken, ServerOptions? options = null)
    {
        var file = new SqliteFile();
        try
        {
            var key = await RunDemoAsync(file.Path, contacts, cancellationToken);
            return new DemoServer(await RunningServer.StartAsync((options ?? new ServerOptions()) with { Connection = file.Path }, file, cancellationToken, key));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static async Task<string> RunDemoAsync(string database, int contacts, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "leadscore.dll"), "demo", "--contacts", contacts.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", database, "--no-serve" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var text = await output;
        return process.ExitCode == 0 && AdminKeyLine().Match(text) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"leadscore demo failed ({process.ExitCode}):\n{text}\n{await error}");
    }

    [GeneratedRegex(@"Admin API key: (\S+)")]
    private static partial Regex AdminKeyLine();
}
