using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace LeadScore.Cli.Tests;

/// <summary>
/// Runs every command of the README's shell blocks, as written, in a scratch folder: the demo in the
/// background (it serves until stopped), then the tour against it and the offline commands. So the
/// README cannot promise what the product does not do. Only <c>./test.sh</c> is not run (it runs this).
/// </summary>
public sealed partial class ReadmeTests
{
    private static readonly TimeSpan DemoTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Readme_EveryShellCommand_RunsAndDoesWhatTheReadmeSays()
    {
        var blocks = ShellBlocks(await File.ReadAllTextAsync(Repository.File("README.md"), TestContext.Current.CancellationToken));
        var commands = blocks.SelectMany(b => b).ToList();
        commands.ShouldContain("./leadscore demo");
        commands.ShouldContain("./test.sh");
        using var folder = new TempFiles();
        PrepareScratch(folder.Folder);

        using var demo = StartDemo(folder.Folder);
        var demoOutput = await demo.WaitForAsync("Press Ctrl+C to stop.", DemoTimeout);
        var runnable = blocks.Select(b => b.Where(c => c is not ("./leadscore demo" or "./test.sh")).ToList()).Where(b => b.Count > 0).ToList();
        var results = runnable.Select(block => Bash(folder.Folder, block)).ToList();
        var stopped = demo.Stop();

        demoOutput.ShouldContain("Admin API key: lsk_");
        foreach (var (block, (exitCode, output)) in runnable.Zip(results))
        {
            exitCode.ShouldBe(0, $"README block failed:\n{string.Join('\n', block)}\n--- output:\n{output}");
        }

        var all = string.Join('\n', results.Select(r => r.Output));
        all.ShouldContain("\"items\":[{\"model\":\"balanced\"");
        all.ShouldContain("\"accepted\":1");
        all.ShouldContain("\"explanation\":{\"contact\":\"c0000042\"");
        all.ShouldContain("\"cause\":\"publish\",\"causeId\":\"balanced@v1\"");
        all.ShouldContain("balanced v1: top 10 contacts");
        File.ReadAllText(Path.Combine(folder.Folder, "review.html")).ShouldContain("<svg");
        all.ShouldContain("\"draftVersion\":2");
        // The export lists whom to call: the open leads of the 20,000 (customers and the disqualified are left out), status second.
        var exported = File.ReadAllLines(Path.Combine(folder.Folder, "scores.csv"));
        exported[0].ShouldStartWith("contact,status,name,email,company,score");
        exported.Length.ShouldBeInRange(2, 20_000);
        exported.Skip(1).ShouldAllBe(line => line.Split(',')[1] == "open");
        all.ShouldContain("published b2b-saas v1");
        File.Exists(Path.Combine(folder.Folder, "tour-data", "truth.csv")).ShouldBeTrue();
        stopped.ShouldBe(0, demo.Output);
    }

    /// <summary>The commands of each <c>sh</c> block, continuation lines joined, comments and blank lines left out.</summary>
    private static List<List<string>> ShellBlocks(string readme) =>
    [
        .. ShellBlock().Matches(readme).Select(match => match.Groups[1].Value
            .Replace("\\\n", " ", StringComparison.Ordinal)
            .Split('\n')
            .Select(line => Regex.Replace(line, @"\s+#\s.*$", "").Trim())
            .Select(line => Regex.Replace(line, @"\s{2,}", " "))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList()),
    ];

    // The README's ./leadscore builds and runs the CLI from the repository; here it runs the build this test has.
    private static void PrepareScratch(string folder)
    {
        var script = Path.Combine(folder, "leadscore");
        File.WriteAllText(script, $"#!/usr/bin/env bash\nexec dotnet \"{Path.Combine(AppContext.BaseDirectory, "leadscore.dll")}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Directory.CreateSymbolicLink(Path.Combine(folder, "examples"), Repository.File("examples"));
    }

    private static (int ExitCode, string Output) Bash(string folder, List<string> commands)
    {
        // curl reports HTTP errors as failures, so a problem answer fails the block instead of passing unnoticed.
        var script = "set -euo pipefail\n" + string.Join('\n', commands.Select(c => c.Replace("curl -s ", "curl -s --fail-with-body ", StringComparison.Ordinal)
            + "\necho"));
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static DemoProcess StartDemo(string folder) => new(new ProcessStartInfo("bash", ["-c", "exec ./leadscore demo"])
    {
        WorkingDirectory = folder,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    });

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    /// <summary>The demo running in the background, its output collected as it comes.</summary>
    private sealed class DemoProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        public DemoProcess(ProcessStartInfo start)
        {
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public async Task<string> WaitForAsync(string text, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                if (_process.HasExited || DateTime.UtcNow > until)
                {
                    throw new InvalidOperationException($"The demo did not get ready (exited: {_process.HasExited}):\n{Output}");
                }

                await Task.Delay(200);
            }

            return Output;
        }

        /// <summary>Asks the demo to stop as a service manager would (SIGTERM) and returns its exit code.</summary>
        public int Stop()
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            return _process.WaitForExit(TimeSpan.FromSeconds(30)) ? _process.ExitCode : -1;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
