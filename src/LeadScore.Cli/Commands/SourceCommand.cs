using System.CommandLine;
using LeadScore.Cli.Input;
using LeadScore.Storage.Sources;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore source create|list|revoke</c>, <c>source mapping show|set</c> and <c>source events</c>:
/// Segment and RudderStack sources, and how their event names become event types, set up from the terminal.
/// </summary>
internal static class SourceCommand
{
    /// <summary>Where the server takes each webhook destination's posts (SegmentApi); the host is the server's own, unknown offline.</summary>
    public const string SegmentWebhookPath = "/v1/webhooks/segment";

    public const string RudderStackWebhookPath = "/v1/webhooks/rudderstack";

    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock) =>
        new("source", "Segment and RudderStack sources: write keys, webhook set-up and the event mapping.")
        {
            CreateSource(output, error, clock),
            ListSources(output, error, clock),
            RevokeSource(output, error, clock),
            new Command("mapping", "How the sources' event names (\"Demo Requested\") become event types (demo_requested).")
            {
                ShowMapping(output, error, clock),
                SetMapping(output, error, clock),
            },
            ListEventNames(output, error, clock),
        };

    private static Command CreateSource(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var name = new Option<string>("--name") { Description = "A label for the source, such as web or segment (1 to 100 characters).", Required = true };
        var store = new StoreOptions();
        var command = new Command("create", """
            Makes a source: a write key that can only send Segment Spec messages (shown once), and what
            Segment's and RudderStack's SDKs and webhook destinations need to send to LeadScore.
            Example: leadscore source create --name web --workspace acme
            """)
        {
            name,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var wanted = parse.GetValue(name)?.Trim();
            if (string.IsNullOrEmpty(wanted) || wanted.Length > 100)
            {
                error.WriteLine("leadscore: --name: a source's name is 1 to 100 characters, such as web or segment.");
                return ExitCodes.UsageError;
            }

            return await store.RunAsync(parse, forWriting: true, error, clock, cancellationToken, async (opened, workspace) =>
            {
                var created = await opened.Sources.CreateSourceAsync(workspace, wanted, cancellationToken);
                var source = created.Source;
                output.WriteLine($"source: {source.Id} ('{source.Name}', workspace '{workspace}')");
                output.WriteLine($"write key: {created.WriteKey}");
                output.WriteLine("  shown once: store it now; 'leadscore source list' shows its id, never its text.");
                output.WriteLine("HTTP API (Segment and RudderStack SDKs, HTTP sources): point the SDK's host / data plane URL at your LeadScore server; it sends to /v1/* with the write key.");
                output.WriteLine($"Segment webhook destination: POST {SegmentWebhookPath}?source={source.Id}, shared secret {source.SigningSecret}");
                output.WriteLine($"RudderStack webhook destination: POST {RudderStackWebhookPath} with the header 'Authorization: Bearer {created.WriteKey}'");
                error.WriteLine($"leadscore: created source {source.Id}; its write key is not shown again.");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command ListSources(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var store = new StoreOptions();
        var command = new Command("list", """
            Lists the sources: id, name, write key id, Segment webhook path, shared secret, created, revoked
            (never the write key's text).
            Example: leadscore source list --workspace acme
            """);
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            foreach (var source in await opened.Sources.ListSourcesAsync(workspace, cancellationToken))
            {
                var revoked = source.RevokedAt is { } at ? $"revoked {at:u}" : "active";
                output.WriteLine($"{source.Id}\t{source.Name}\tkey {source.KeyId}\t{SegmentWebhookPath}?source={source.Id}\tsecret {source.SigningSecret}"
                    + $"\tcreated {source.CreatedAt:u}\t{revoked}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RevokeSource(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var id = new Argument<string>("id") { Description = "The source's id (src_..., as 'source list' shows it)." };
        var store = new StoreOptions();
        var command = new Command("revoke", """
            Revokes a source and its write key: its SDKs and webhooks are refused (within seconds on running servers).
            Example: leadscore source revoke src_4f0c9a1b2c3d4e5f6a7b
            """)
        {
            id,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            if (!await opened.Sources.RevokeSourceAsync(workspace, parse.GetValue(id)!, cancellationToken))
            {
                error.WriteLine($"leadscore: workspace '{workspace}' has no active source '{parse.GetValue(id)}'; 'leadscore source list' shows them.");
                return ExitCodes.UserError;
            }

            output.WriteLine($"revoked {parse.GetValue(id)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ShowMapping(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var store = new StoreOptions();
        var command = new Command("show", """
            Prints the mapping in force, one name a line: name, type (or 'ignored'), and whose entry it is
            (workspace or built-in). Any other name becomes its snake_case ("Pricing Viewed" is pricing_viewed).
            Example: leadscore source mapping show
            """);
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            var versions = await opened.Sources.ListEventMappingsAsync(workspace, cancellationToken);
            var mapping = versions.Count > 0 ? versions[0].Mapping : EventMapping.None;
            error.WriteLine(versions.Count > 0
                ? $"leadscore: mapping version {mapping.Version}, saved {versions[0].SavedAt:u}{(versions[0].SavedBy is { } by ? $" by {by}" : "")}; other names become their snake_case."
                : "leadscore: the workspace has saved no mapping (version 0): built-in names, other names become their snake_case.");
            foreach (var (name, type) in mapping.Names)
            {
                output.WriteLine($"{name}\t{type ?? "ignored"}\tworkspace");
            }

            // A built-in name the workspace maps itself is shown once, as the workspace's.
            foreach (var (name, type) in EventMapping.BuiltIn.Where(b => mapping.Map(b.Key).Source == EventMappingSource.BuiltIn))
            {
                output.WriteLine($"{name}\t{type}\tbuilt-in");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command SetMapping(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var file = new Argument<FileInfo>("file") { Description = "A JSON object: {\"Source Event Name\": \"event_type\" or null to ignore the name}." };
        var store = new StoreOptions();
        var command = new Command("set", """
            Saves the file as the workspace's whole mapping (a new version): events that arrive next are
            typed by it; events already stored keep their types. Every problem is reported at once and
            nothing is saved until there are none.
            Example: leadscore source mapping set mapping.json   (with {"Demo Booked": "demo_requested", "Newsletter Opened": null})
            """)
        {
            file,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                error.WriteLine($"leadscore: file '{path.FullName}' does not exist.");
                return ExitCodes.UsageError;
            }

            var read = EventMappingFile.Read(path.FullName);
            if (read.Problems.Count > 0)
            {
                foreach (var problem in read.Problems)
                {
                    error.WriteLine($"{path.Name}: {problem}");
                }

                error.WriteLine($"leadscore: the mapping has {read.Problems.Count} problem(s); nothing was saved.");
                return ExitCodes.UserError;
            }

            return await store.RunAsync(parse, forWriting: true, error, clock, cancellationToken, async (opened, workspace) =>
            {
                var saved = await opened.Sources.SaveEventMappingAsync(workspace, read.Names, $"cli {Environment.UserName}", cancellationToken);
                output.WriteLine($"saved mapping version {saved.Mapping.Version} ({saved.Mapping.Names.Count} names)");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command ListEventNames(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var store = new StoreOptions();
        var command = new Command("events", """
            Lists the event names the sources sent, most frequent first: name, events, the type it becomes now
            (or 'ignored'), mapped by (default, built-in, workspace, ignored), last seen.
            Example: leadscore source events
            """);
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            foreach (var seen in await opened.Sources.ListEventNamesAsync(workspace, cancellationToken))
            {
                output.WriteLine($"{seen.Mapped.Name}\t{seen.Count}\t{seen.Mapped.Type ?? "ignored"}\t{MappedBy(seen.Mapped.Source)}\tlast seen {seen.LastSeenAt:u}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static string MappedBy(EventMappingSource source) => source switch
    {
        EventMappingSource.BuiltIn => "built-in",
        _ => source.ToString().ToLowerInvariant(),
    };
}
