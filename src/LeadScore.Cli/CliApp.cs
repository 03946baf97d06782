using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using LeadScore.Cli.Commands;

namespace LeadScore.Cli;

/// <summary>The <c>leadscore</c> command line, runnable in-process with its own writers so tests can drive it.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot(TextWriter output, TextWriter error, TimeProvider clock) =>
        new("LeadScore: score leads by fit and engagement, so sales calls the best ones first.")
        {
            ModelCommand.Create(output, error, clock),
            ScoreCommand.Create(output, error, clock),
            ImportCommand.Create(output, error, clock),
            ScoresCommand.Create(output, error, clock),
            ServeCommand.Create(output, error, clock),
            DemoCommand.Create(output, error, clock),
            LeadsCommand.Create(output, error, clock),
            ExportCommand.Create(output, error, clock),
            ApiKeyCommand.Create(output, error, clock),
            AutomationCommand.Create(output, error, clock),
            TrackingCommand.Create(output, error, clock),
            SourceCommand.Create(output, error, clock),
            PredictiveCommand.Create(output, error, clock),
            ReviewCommand.Create(output, error, clock),
            GenerateCommand.Create(output, error),
            TrainCommand.Create(output, error),
            PredictCommand.Create(output, error),
        };

    [SuppressMessage("Design", "CA1031", Justification = "The command's last resort: any failure is printed and becomes exit code InternalError, not a crash.")]
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider clock)
    {
        var root = CreateRoot(output, error, clock);
        try
        {
            // Without the default handler an exception reaches the catch below: exit code 2, not the handler's 1 ("fix your input").
            // On Ctrl+C or SIGTERM a server gets 10 s (not System.CommandLine's 2) to finish in-flight requests
            // and stop its workers before the process is ended with 128 + the signal.
            return root.Parse(args).Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = TimeSpan.FromSeconds(10),
            });
        }
        catch (Exception ex)
        {
            error.WriteLine($"leadscore: internal error: {ex}");
            return ExitCodes.InternalError;
        }
    }
}
