using System.CommandLine;
using System.Globalization;
using LeadScore.Server.Features.Predictive;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore predictive train|status</c>: trains the workspace's predictive model from the store
/// (as a running server's schedule does) and shows its versions and metrics.
/// </summary>
internal static class PredictiveCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock) =>
        new("predictive", "Trains the predictive model from the stored contacts, events and outcomes, and shows its versions.")
        {
            Train(output, error, clock),
            Status(output, error, clock),
        };

    private static Command Train(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var horizon = new Option<int?>("--horizon-days") { Description = "Learn 'converts within N days' (default 90); saved in the workspace's predictive settings." };
        var every = new Option<int?>("--snapshot-every-days") { Description = "Days between training snapshots (default 30); saved in the settings." };
        var store = new StoreOptions();
        var command = new Command("train", """
            Trains the workspace's predictive model now: as-of snapshots of every contact, labelled by whether it
            converted within the horizon after each, validated on the newest snapshots; saves it as the next version
            and predicts every open contact. Exits 1 with the reason when there is too little history or outcomes.
            Example: leadscore predictive train --horizon-days 30 --db leadscore-demo.db
            """)
        {
            horizon, every,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
            await store.RunAsync(parse, forWriting: true, error, clock, cancellationToken, async (opened, workspace) =>
            {
                var settings = PredictiveSettings.Read(await opened.Predictive.GetPredictiveSettingsAsync(workspace, cancellationToken));
                var changed = settings with
                {
                    HorizonDays = parse.GetValue(horizon) ?? settings.HorizonDays,
                    SnapshotEveryDays = parse.GetValue(every) ?? settings.SnapshotEveryDays,
                };
                if (changed.Problems() is { Count: > 0 } problems)
                {
                    foreach (var problem in problems)
                    {
                        error.WriteLine($"leadscore: {problem}");
                    }

                    return ExitCodes.UsageError;
                }

                if (changed != settings)
                {
                    await opened.Predictive.SavePredictiveSettingsAsync(workspace, changed.Write(), cancellationToken);
                }

                var run = await new PredictiveTrainer(opened, clock).TrainAsync(workspace, cancellationToken);
                if (run is PredictiveRun.Refused refused)
                {
                    error.WriteLine($"leadscore: {refused.Message}");
                    return ExitCodes.UserError;
                }

                var trained = (PredictiveRun.Trained)run;
                WriteVersion(output, trained.Model.Version, trained.Report);
                output.WriteLine($"predicted {trained.Predictions.Written:N0} open contacts");
                return ExitCodes.Success;
            }));
        return command;
    }

    private static Command Status(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var store = new StoreOptions();
        var command = new Command("status", """
            Lists the predictive model versions, newest first, with their validated metrics and warnings.
            Example: leadscore predictive status --db leadscore-demo.db
            """);
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
            await store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
            {
                var versions = await opened.Predictive.ListPredictiveModelsAsync(workspace, cancellationToken);
                if (versions.Count == 0)
                {
                    output.WriteLine("no predictive model yet: run 'leadscore predictive train', or let 'leadscore serve' train on its schedule");
                }

                foreach (var version in versions)
                {
                    WriteVersion(output, version.Version, PredictiveTrainer.ReadReport(version));
                }

                return ExitCodes.Success;
            }));
        return command;
    }

    private static void WriteVersion(TextWriter output, int version, PredictiveReport report)
    {
        var m = report.Metrics;
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture,
            $"version {version}: converts within {report.Settings.HorizonDays} days; {m.Trainer}; AUC {m.Auc:0.000}, PR-AUC {m.PrAuc:0.000}, "
            + $"Brier {m.Brier:0.0000}, lift top 10% {m.LiftTop10:0.00}; {report.TrainingRows:N0} snapshot rows ({report.Positives:N0} converted) "
            + $"from {report.Snapshots.Count} snapshots, {report.Features} features; {report.Seconds:0.0} s"));
        output.WriteLine($"  validated {m.Validation}");
        foreach (var (name, model) in new[] { ("won amount", report.AmountModel), ("days to convert", report.DaysModel) })
        {
            if (model?.Metrics is { } number)
            {
                output.WriteLine(string.Create(culture, $"  {name}: {model.Trainer}, MAE {number.Mae:N1}, R² {number.RSquared:0.00}"));
            }
            else if (model?.Refused is { } why)
            {
                output.WriteLine($"  {name}: not trained: {why}");
            }
        }

        foreach (var warning in report.Warnings)
        {
            output.WriteLine($"  warning: {warning}");
        }
    }
}
