using Spectre.Console;

namespace LeadScore.Cli.Output;

/// <summary>
/// A progress bar on standard error while a long command runs, shown only when standard error is a
/// terminal: scripts, pipes and tests get plain messages and no control characters. Messages written
/// through <see cref="WriteLine"/> appear above the bar instead of tearing it.
/// </summary>
internal sealed class ConsoleProgress
{
    private readonly TextWriter _error;
    private readonly IAnsiConsole? _console;
    private readonly ProgressTask? _task;

    private ConsoleProgress(TextWriter error, IAnsiConsole? console, ProgressTask? task)
    {
        _error = error;
        _console = console;
        _task = task;
    }

    /// <summary>True when <paramref name="error"/> is this process's standard error and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    public static async Task<T> RunAsync<T>(TextWriter error, string title, Func<ConsoleProgress, Task<T>> work)
    {
        if (!IsTerminal(error))
        {
            return await work(new ConsoleProgress(error, null, null));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(title), autoStart: true, maxValue: 1);
                var result = await work(new ConsoleProgress(error, console, task));
                task.Value = task.MaxValue;
                return result;
            });
    }

    public bool ShowsBar => _task is not null;

    public void Report(double done, double total)
    {
        if (_task is null)
        {
            return;
        }

        _task.MaxValue = Math.Max(total, 1);
        _task.Value = Math.Min(done, _task.MaxValue);
    }

    public void WriteLine(string text)
    {
        if (_console is null)
        {
            _error.WriteLine(text);
        }
        else
        {
            _console.WriteLine(text);
        }
    }
}
