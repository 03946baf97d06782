using System.CommandLine;
using LeadScore.Server.Hosting;
using LeadScore.Server.Webhooks;

namespace LeadScore.Cli.Commands;

/// <summary><c>leadscore serve</c>: runs the HTTP API until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var urls = new Option<string>("--urls")
        {
            HelpName = "url",
            Description = "Where to listen; several separated by ';'. Use http://0.0.0.0:PORT to accept other machines (behind TLS).",
            DefaultValueFactory = _ => ServerOptions.DefaultUrls,
        };
        var rate = new Option<int>("--rate-limit")
        {
            HelpName = "requests/s",
            Description = "Requests per second each API key may make (bursts up to twice that); over it the answer is 429 with Retry-After.",
            DefaultValueFactory = _ => new ServerOptions().RequestsPerSecondPerKey,
        };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Write logs as JSON lines, for a log shipper." };
        var webhookAllow = new Option<string[]>("--webhook-allow")
        {
            HelpName = "cidr",
            Description = "A loopback, link-local or private network webhooks may reach (refused otherwise), e.g. 10.0.0.0/8, or a port besides 80, 443 and 1024-65535, e.g. port:25; repeat for several.",
            DefaultValueFactory = _ => [],
        };
        var publicUrl = new Option<string?>("--public-url")
        {
            HelpName = "url",
            Description = "The address browsers and mail clients reach the server by (https://ls.example.com), for the snippet tag and email links it makes.",
        };
        var sessionHours = new Option<double>("--session-hours")
        {
            HelpName = "hours",
            Description = "How long a dashboard sign-in lasts before the dashboard asks for a key again (signing out or revoking the key ends it sooner).",
            DefaultValueFactory = _ => new ServerOptions().DashboardSessionLifetime.TotalHours,
        };
        var store = new StoreOptions();
        var command = new Command("serve", """
            Runs the LeadScore HTTP API (docs at /docs, OpenAPI at /openapi/v1.json, probes at /healthz and
            /readyz, metrics at /metrics). The first start on a database prints an admin API key, once.
            Several servers may share one PostgreSQL database.
            Example: leadscore serve --db "Host=db;Database=leadscore;Username=leadscore" --urls http://0.0.0.0:5080
            """)
        {
            urls, rate, jsonLogs, webhookAllow, publicUrl, sessionHours, store.Db,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new ServerOptions
            {
                Connection = parse.GetValue(store.Db),
                Urls = parse.GetValue(urls)!,
                RequestsPerSecondPerKey = Math.Max(1, parse.GetValue(rate)),
                BurstPerKey = Math.Max(1, parse.GetValue(rate) * 2),
                JsonLogs = parse.GetValue(jsonLogs),
                WebhookAllowedNetworks = parse.GetValue(webhookAllow) ?? [],
                PublicUrl = parse.GetValue(publicUrl),
                // At least a minute: a lifetime of zero would sign every dashboard out as it signs in.
                DashboardSessionLifetime = TimeSpan.FromHours(Math.Max(1.0 / 60, parse.GetValue(sessionHours))),
                Time = clock,
            },
            output, error, cancellationToken));
        return command;
    }

    /// <summary>Serves until Ctrl+C or SIGTERM; <paramref name="announcement"/> is printed with the addresses (the demo's key).</summary>
    public static async Task<int> RunAsync(
        ServerOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken, string? announcement = null)
    {
        if (!WebhookTargetPolicy.TryCreate(options.WebhookAllowedNetworks, out _, out var notNetwork))
        {
            error.WriteLine($"leadscore: --webhook-allow: {notNetwork}");
            return ExitCodes.UsageError;
        }

        ServerHost host;
        try
        {
            host = await LeadScoreServer.CreateAsync(options, cancellationToken);
        }
        catch (Exception ex) when (StoreOptions.IsOpenFailure(ex))
        {
            error.WriteLine(StoreOptions.CannotOpen(options.Connection, ex));
            return ExitCodes.InternalError;
        }

        await using (host)
        {
            try
            {
                await host.StartAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                error.WriteLine($"leadscore: cannot listen on {options.Urls}: {ex.Message} (is another server using the port? choose one with --urls)");
                return ExitCodes.InternalError;
            }

            var address = host.Addresses.FirstOrDefault()?.ToString().TrimEnd('/') ?? options.Urls;
            output.WriteLine($"LeadScore is listening on {address}");
            output.WriteLine($"API reference: {address}/docs");
            if (announcement is not null)
            {
                output.WriteLine(announcement);
            }
            else if (host.FirstKey is { } key)
            {
                output.WriteLine($"Admin API key for workspace '{key.Key.Workspace}' (shown once, keep it safe): {key.Secret}");
            }

            output.WriteLine("Press Ctrl+C to stop.");
            output.Flush();
            try
            {
                await host.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            await host.StopAsync(CancellationToken.None);
        }

        return ExitCodes.Success;
    }
}
