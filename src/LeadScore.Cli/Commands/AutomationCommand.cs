using System.CommandLine;
using LeadScore.Engine.Automations;
using LeadScore.Server.Webhooks;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore automation create|list|delete|runs|deliveries|replay</c>: manages automations straight
/// in the database. Webhooks are sent by a running <c>leadscore serve</c> on the same database.
/// </summary>
internal static class AutomationCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock) =>
        new("automation", "Creates, lists and deletes automations; shows their runs and webhook deliveries; replays dead letters.")
        {
            CreateAutomation(output, error, clock),
            ListAutomations(output, error, clock),
            DeleteAutomation(output, error, clock),
            ListRuns(output, error, clock),
            ListDeliveries(output, error, clock),
            Replay(output, error, clock),
        };

    private static Command CreateAutomation(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var file = new Argument<FileInfo>("file") { Description = "The automation as JSON (docs/automations.md)." };
        var id = new Option<string?>("--id") { Description = "Replace this automation's definition instead of creating one (its id and secret stay)." };
        var apply = new Option<bool>("--apply-to-existing") { Description = "Run it once, now, for the leads that already match its trigger." };
        var allow = new Option<string[]>("--webhook-allow")
        {
            HelpName = "cidr",
            Description = "A private network (10.0.0.0/8) or a port (port:25) its webhooks may reach (as 'serve --webhook-allow'); repeat for several.",
            DefaultValueFactory = _ => [],
        };
        var store = new StoreOptions();
        var command = new Command("create", """
            Creates an automation from a JSON file and prints its id and webhook secret (keep the secret:
            receivers verify signatures with it). Errors are listed with their JSON path; nothing is saved then.
            Example: leadscore automation create mql-handoff.json --apply-to-existing
            """)
        {
            file, id, apply, allow,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                error.WriteLine($"leadscore: {path.FullName} does not exist.");
                return ExitCodes.UserError;
            }

            if (!WebhookTargetPolicy.TryCreate(parse.GetValue(allow) ?? [], out var policy, out var notNetwork))
            {
                error.WriteLine($"leadscore: --webhook-allow: {notNetwork}");
                return ExitCodes.UsageError;
            }

            var json = await File.ReadAllTextAsync(path.FullName, cancellationToken);
            if (AutomationJson.Parse(json).Definition is { } parsed && policy!.CheckWebhooks(parsed) is { Count: > 0 } refused)
            {
                foreach (var problem in refused)
                {
                    error.WriteLine($"{path.Name}: {problem}");
                }

                return ExitCodes.UserError;
            }

            return await store.RunAsync(parse, forWriting: true, error, clock, cancellationToken, async (opened, workspace) =>
            {
                var saved = await opened.Automations.SaveAutomationAsync(workspace, parse.GetValue(id), json, parse.GetValue(apply), cancellationToken);
                if (!saved.Succeeded)
                {
                    error.WriteLine($"leadscore: {saved.Error.Message}");
                    return ExitCodes.UserError;
                }

                if (saved.Value.Automation is not { } automation)
                {
                    foreach (var problem in saved.Value.Errors)
                    {
                        error.WriteLine($"{path.Name}: {problem}");
                    }

                    return ExitCodes.UserError;
                }

                output.WriteLine($"{automation.Id}\t{automation.Name}");
                output.WriteLine($"webhook secret: {automation.Secret}");
                if (parse.GetValue(apply))
                {
                    output.WriteLine($"ran for {saved.Value.AppliedToExisting} existing lead(s)");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command ListAutomations(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var store = new StoreOptions();
        var command = new Command("list", """
            Lists the automations: id, name, model, trigger, enabled.
            Example: leadscore automation list
            """);
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            foreach (var a in await opened.Automations.ListAutomationsAsync(workspace, cancellationToken))
            {
                output.WriteLine($"{a.Id}\t{a.Name}\t{a.ModelKey ?? "-"}\t{a.TriggerType}\t{(a.Enabled ? "enabled" : "disabled")}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command DeleteAutomation(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var id = new Argument<string>("id") { Description = "The automation's id, as 'automation list' shows it." };
        var store = new StoreOptions();
        var command = new Command("delete", """
            Deletes an automation: it stops firing and its unsent webhooks are cancelled; its logs stay.
            Example: leadscore automation delete au_3f9c2a7b1d0e4c85
            """)
        {
            id,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            if (!await opened.Automations.DeleteAutomationAsync(workspace, parse.GetValue(id)!, cancellationToken))
            {
                error.WriteLine($"leadscore: workspace '{workspace}' has no automation '{parse.GetValue(id)}'; 'leadscore automation list' shows them.");
                return ExitCodes.UserError;
            }

            output.WriteLine($"deleted {parse.GetValue(id)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListRuns(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var automation = new Option<string?>("--automation") { Description = "Only this automation's runs." };
        var contact = new Option<string?>("--contact") { Description = "Only the runs for this contact." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first (1 to 500).", DefaultValueFactory = _ => 50 };
        var store = new StoreOptions();
        var command = new Command("runs", """
            Shows when automations ran, for whom, what triggered them and what their actions did.
            Example: leadscore automation runs --contact c-1042
            """)
        {
            automation, contact, limit,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            var page = await opened.Automations.ListAutomationRunsAsync(workspace, parse.GetValue(automation), parse.GetValue(contact), null, parse.GetValue(limit), cancellationToken);
            if (!page.Succeeded)
            {
                error.WriteLine($"leadscore: {page.Error.Message}");
                return ExitCodes.UsageError;
            }

            foreach (var run in page.Value.Items)
            {
                output.WriteLine($"{run.At:u}\t{run.AutomationId}\t{run.ContactId}\t{run.Trigger}\t{run.ScoreBefore?.ToString() ?? "-"} -> {run.ScoreAfter?.ToString() ?? "-"}\t{string.Join("; ", run.Actions)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListDeliveries(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var automation = new Option<string?>("--automation") { Description = "Only this automation's deliveries." };
        var contact = new Option<string?>("--contact") { Description = "Only the deliveries about this contact." };
        var dead = new Option<bool>("--dead") { Description = "Only dead letters (retried for the whole window without success)." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first (1 to 500).", DefaultValueFactory = _ => 50 };
        var store = new StoreOptions();
        var command = new Command("deliveries", """
            Shows webhook deliveries: id (the receiver's idempotency key), state, attempts, last error.
            Example: leadscore automation deliveries --dead
            """)
        {
            automation, contact, dead, limit,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            var page = await opened.Deliveries.ListDeliveriesAsync(workspace, new DeliveryQuery
            {
                AutomationId = parse.GetValue(automation),
                ContactId = parse.GetValue(contact),
                State = parse.GetValue(dead) ? DeliveryState.Dead : null,
                Limit = parse.GetValue(limit),
            }, cancellationToken);
            if (!page.Succeeded)
            {
                error.WriteLine($"leadscore: {page.Error.Message}");
                return ExitCodes.UsageError;
            }

            foreach (var d in page.Value.Items)
            {
                output.WriteLine($"{d.Id}\t{d.State.ToString().ToLowerInvariant()}\t{d.Attempts} attempt(s)\t{d.AutomationId}\t{d.ContactId}\t{d.Url}\t{d.LastError ?? ""}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Replay(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var id = new Argument<string>("delivery") { Description = "The delivery's id, as 'automation deliveries' shows it." };
        var store = new StoreOptions();
        var command = new Command("replay", """
            Sends a delivery again (a dead letter, or one the receiver lost), with the same delivery id
            and a fresh 24-hour retry window. A running 'leadscore serve' sends it within a second.
            Example: leadscore automation replay 019a8c3e-5f1b-7c2d-9e4a-6b7c8d9e0f1a
            """)
        {
            id,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            if (await opened.Deliveries.ReplayDeliveryAsync(workspace, parse.GetValue(id)!, cancellationToken) is not { } delivery)
            {
                error.WriteLine($"leadscore: workspace '{workspace}' has no delivery '{parse.GetValue(id)}'; 'leadscore automation deliveries' shows them.");
                return ExitCodes.UserError;
            }

            output.WriteLine($"{delivery.Id}\tpending\tdue now");
            return ExitCodes.Success;
        }));
        return command;
    }
}
