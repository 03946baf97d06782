using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace LeadScore.Server.Tests.MultiInstance;

/// <summary>
/// A real <c>leadscore serve</c> process (<c>dotnet leadscore.dll</c> from the build output) on
/// 127.0.0.1 and a port of its choosing. Everything it writes is kept for assertion messages; it is
/// killed when disposed, whatever happened.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _name;

    private ServeProcess(string name, string connection, string urls)
    {
        _name = name;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "leadscore.dll"), "serve", "--db", connection, "--urls", urls })
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Receive(e.Data);
        _process.ErrorDataReceived += (_, e) => Receive(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"{_name} exited with code {_process.ExitCode} before it was ready."));
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>The first admin key, when this process made it (the first start on a database).</summary>
    public string? AdminKey { get; private set; }

    /// <summary>What the process wrote so far, stdout and stderr interleaved, each line tagged with the process's name.</summary>
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

    /// <summary>Starts <c>leadscore serve --db CONNECTION</c> (on a port of its choosing, or the one <paramref name="urls"/> names) and waits until it says it is listening.</summary>
    public static async Task<ServeProcess> StartAsync(string name, string connection, CancellationToken cancellationToken, string urls = "http://127.0.0.1:0")
    {
        var server = new ServeProcess(name, connection, urls);
        try
        {
            server._process.Start();
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            await server._ready.Task.WaitAsync(StartTimeout, cancellationToken);
            return server;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            var output = server.Output;
            await server.DisposeAsync();
            throw new InvalidOperationException($"{name} did not start ({ex.Message}):\n{output}", ex);
        }
    }

    /// <summary>
    /// SIGKILL (what <see cref="Process.Kill()"/> sends on Linux), as a crash or the OOM killer would:
    /// no shutdown, no flush, no lease handed back. Returns once the process is gone.
    /// </summary>
    public async Task<int> KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public HttpClient ClientWith(string key)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>How many lines it wrote that contain the text.</summary>
    public int LinesContaining(string text) =>
        Output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Never started, or already gone.
        }

        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append('[').Append(_name).Append("] ").AppendLine(line);
        }

        if (Listening().Match(line) is { Success: true } listening)
        {
            Address = new Uri(listening.Groups[1].Value);
        }
        else if (AdminKeyLine().Match(line) is { Success: true } key)
        {
            AdminKey = key.Groups[1].Value;
        }
        else if (line.StartsWith("Press Ctrl+C to stop.", StringComparison.Ordinal))
        {
            // The last line of the start banner: the address and any key came before it.
            _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"^LeadScore is listening on (\S+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"^Admin API key for workspace 'default' .*: (lsk_\S+)$")]
    private static partial Regex AdminKeyLine();
}
