using System.CommandLine;
using System.Globalization;
using LeadScore.Server.Features.Reviews;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore model backtest --draft FILE|VERSION</c>: replays a draft over the stored history beside
/// the published version of its model, before anyone publishes it.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var draft = new Option<string>("--draft") { Description = "A model JSON file, or a saved version number of --model.", Required = true };
        var model = new Option<string?>("--model") { Description = "The model key, when --draft is a version number." };
        var since = new Option<string>("--since") { Description = "The period replayed: 90d (default), 30d, 12w...", DefaultValueFactory = _ => "90d" };
        var asOf = new Option<string?>("--as-of") { Description = "End of the period, an ISO 8601 instant (default: now)." };
        var format = new Option<string>("--format") { Description = "md (default) or json.", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "json");
        var store = new StoreOptions();
        var command = new Command("backtest", """
            Replays a draft over the stored history beside the published version of its model: ROC-AUC, MQLs
            produced, precision and recall at MQL, and the leads that would move in or out of MQL. Each lead is
            scored at the moment it converted, or at the end of the period.
            Example: leadscore model backtest --draft proposal.json --since 90d --db leadscore.db
                     leadscore model backtest --model balanced --draft 3
            """)
        {
            draft, model, since, asOf, format,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!ReviewCommand.TryPeriod(parse.GetValue(since)!, parse.GetValue(asOf), error, out var length, out var until))
            {
                return ExitCodes.UsageError;
            }

            var draftValue = parse.GetValue(draft)!;
            var isVersion = int.TryParse(draftValue, NumberStyles.None, CultureInfo.InvariantCulture, out var version);
            if (isVersion && parse.GetValue(model) is null)
            {
                error.WriteLine($"leadscore: --draft {draftValue} is a version number; name its model with --model KEY.");
                return ExitCodes.UsageError;
            }

            if (!isVersion && !File.Exists(draftValue))
            {
                error.WriteLine($"leadscore: --draft '{draftValue}' is neither a model JSON file nor a version number.");
                return ExitCodes.UsageError;
            }

            return await store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
            {
                string json;
                if (isVersion)
                {
                    var versions = await opened.Models.GetModelVersionsAsync(workspace, parse.GetValue(model), cancellationToken);
                    if (versions.FirstOrDefault(v => v.Version == version) is not { } saved)
                    {
                        error.WriteLine($"leadscore: model '{parse.GetValue(model)}' has no version {version}; its versions are {Versions(versions)}.");
                        return ExitCodes.UserError;
                    }

                    json = saved.Definition;
                }
                else
                {
                    json = await File.ReadAllTextAsync(draftValue, cancellationToken);
                }

                var run = await new ModelReviews(opened, clock).BacktestAsync(workspace, json, length, until, cancellationToken);
                if (run.Report is not { } report)
                {
                    foreach (var problem in run.Draft.Errors)
                    {
                        error.WriteLine($"leadscore: draft {problem.Path}: {problem.Message}");
                    }

                    if (run.Problem is not null)
                    {
                        error.WriteLine($"leadscore: {run.Problem}");
                    }

                    return ExitCodes.UserError;
                }

                output.WriteLine(parse.GetValue(format) == "json"
                    ? ReviewJson.Write(report)
                    : ReviewMarkdown.Write(report, "published", isVersion ? $"draft v{version}" : $"draft {Path.GetFileName(draftValue)}"));
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static string Versions(IReadOnlyList<ModelVersion> versions) =>
        versions.Count == 0 ? "none (no such model)" : string.Join(", ", versions.Select(v => v.Version));
}
