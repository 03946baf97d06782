using System.CommandLine;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Commands;

/// <summary><c>leadscore apikey create|list|revoke</c>: manages API keys straight in the database.</summary>
internal static class ApiKeyCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock) =>
        new("apikey", "Creates, lists and revokes API keys.")
        {
            CreateKey(output, error, clock),
            ListKeys(output, error, clock),
            RevokeKey(output, error, clock),
        };

    private static Command CreateKey(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var scope = new Option<string>("--scope") { Description = "read, write (includes read) or admin (everything).", DefaultValueFactory = _ => "admin" };
        scope.AcceptOnlyFromAmong("read", "write", "admin");
        var name = new Option<string?>("--name") { Description = "A label to recognise the key by, such as the system that uses it." };
        var store = new StoreOptions();
        var command = new Command("create", """
            Creates an API key (and the workspace, when it is new) and prints the key alone on standard
            output, so a script can capture it. It is shown once.
            Example: KEY=$(leadscore apikey create --workspace acme --scope write --name website)
            """)
        {
            scope, name,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, forWriting: true, error, clock, cancellationToken, async (opened, workspace) =>
        {
            var wanted = Enum.Parse<ApiKeyScope>(parse.GetValue(scope)!, ignoreCase: true);
            var created = await opened.Keys.CreateApiKeyAsync(workspace, wanted, parse.GetValue(name), cancellationToken);
            output.WriteLine(created.Secret);
            error.WriteLine($"leadscore: created {parse.GetValue(scope)} key {created.Key.Id} for workspace '{workspace}'; it is not shown again.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListKeys(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var store = new StoreOptions();
        var command = new Command("list", """
            Lists a workspace's keys: id, scope, name, created, revoked (never the key text).
            Example: leadscore apikey list --workspace acme
            """);
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            foreach (var key in await opened.Keys.ListApiKeysAsync(workspace, cancellationToken))
            {
                var revoked = key.RevokedAt is { } at ? $"revoked {at:u}" : "active";
                output.WriteLine($"{key.Id}\t{key.Scope.ToString().ToLowerInvariant()}\t{key.Name}\tcreated {key.CreatedAt:u}\t{revoked}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RevokeKey(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var id = new Argument<string>("id") { Description = "The key's id (the part after 'lsk_', as 'apikey list' shows it)." };
        var store = new StoreOptions();
        var command = new Command("revoke", """
            Revokes a key: requests with it are refused (within seconds on running servers).
            Example: leadscore apikey revoke k3x9q2m8p1za --workspace acme
            """)
        {
            id,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            if (!await opened.Keys.RevokeApiKeyAsync(workspace, parse.GetValue(id)!, cancellationToken))
            {
                error.WriteLine($"leadscore: workspace '{workspace}' has no key '{parse.GetValue(id)}'; 'leadscore apikey list' shows them.");
                return ExitCodes.UserError;
            }

            output.WriteLine($"revoked {parse.GetValue(id)}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
