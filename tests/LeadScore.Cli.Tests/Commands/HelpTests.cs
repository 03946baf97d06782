using System.CommandLine;

namespace LeadScore.Cli.Tests.Commands;

public sealed class HelpTests
{
    [Fact]
    public void EveryCommandThatRuns_HasADescriptionWithAnExample()
    {
        var root = CliApp.CreateRoot(TextWriter.Null, TextWriter.Null, TimeProvider.System);

        var runnable = Leaves(root).ToList();

        runnable.Count.ShouldBeGreaterThanOrEqualTo(17);
        runnable.Where(c => c.Command.Description?.Contains("Example:", StringComparison.Ordinal) != true)
            .Select(c => c.Path).ShouldBeEmpty();
    }

    [Fact]
    public void Help_OfACommand_PrintsItsExample()
    {
        var run = CliRun.Of("leads", "--help");

        run.ExitCode.ShouldBe(0);
        run.Output.ShouldContain("Example: leadscore leads");
    }

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string path = "leadscore")
    {
        if (command.Subcommands.Count == 0)
        {
            yield return (path, command);
        }

        foreach (var sub in command.Subcommands.SelectMany(s => Leaves(s, $"{path} {s.Name}")))
        {
            yield return sub;
        }
    }
}
