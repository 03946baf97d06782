using System.Diagnostics;

namespace LeadScore.Cli.Tests;

/// <summary>The <c>./leadscore</c> script as a user runs it from the repository root: build once, then run.</summary>
public sealed class LeadscoreScriptTests
{
    [Fact]
    public async Task Script_ValidateExample_BuildsTheCliAndExitsZero()
    {
        var start = new ProcessStartInfo(Repository.File("leadscore"), ["model", "validate", "examples/models/b2b-saas.json"])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        process.ExitCode.ShouldBe(0, await error);
        (await output).ShouldContain("b2b-saas.json: valid");
    }
}
