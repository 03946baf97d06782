using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Tests.MultiInstance;
using LeadScore.Storage.Tests.Fixtures;
using LeadScore.Tests;

namespace LeadScore.Server.Tests.Api;

/// <summary>
/// A real RudderStack client keeps sending while the server it sends to is SIGKILLed and started again
/// on the same port and database: what the client was told was stored is there once, and what it was
/// retrying arrives once the server is back.
/// </summary>
public sealed class SegmentRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Segment_ServerKilledAndRestartedWhileTheClientRetries_LosesNothing_StoresNothingTwice()
    {
        using var database = new SqliteFile();
        var urls = $"http://127.0.0.1:{FreePort()}";
        string adminKey;
        string writeKey;
        await using (var first = await ServeProcess.StartAsync("A", database.Path, Ct, urls))
        {
            adminKey = first.AdminKey!;
            using var admin = first.ClientWith(adminKey);
            using var created = await admin.PostAsJsonAsync("/api/v1/sources", new { name = "web" }, Ct);
            created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
            writeKey = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("writeKey").GetString()!;

            var sent = await ApiContract.SendWithClientAsync("rudderstack", first.Address, writeKey, Messages(0, 10));
            sent.ExitCode.ShouldBe(0, sent.Output);
            await first.KillAsync();
        }

        // The client sends the first ten again (it never knew they arrived) and ten more, to a server that is down.
        await using var client = ClientRun.Start(urls, writeKey, Messages(0, 20));
        await client.Retrying.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await using var second = await ServeProcess.StartAsync("B", database.Path, Ct, urls);
        var (exitCode, output) = await client.EndAsync(TimeSpan.FromSeconds(90));
        exitCode.ShouldBe(0, output);

        using var reader = second.ClientWith(adminKey);
        var events = JsonDocument.Parse(await reader.GetStringAsync("/api/v1/contacts/restart-user/events", Ct)).RootElement.GetProperty("events");
        events.EnumerateArray().Select(e => e.GetProperty("id").GetString()).Order(StringComparer.Ordinal)
            .ShouldBe(Enumerable.Range(0, 20).Select(i => $"restart-{i:D2}").Order(StringComparer.Ordinal));
    }

    private static string Messages(int from, int count) =>
        "[" + string.Join(",", Enumerable.Range(from, count).Select(i =>
            $$"""{"type": "track", "userId": "restart-user", "event": "Page Read", "properties": {"n": {{i}}}, "messageId": "restart-{{i:D2}}"}""")) + "]";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>cdp-send.mjs running in the background, with a signal when the client first retries (it found the server down).</summary>
    private sealed class ClientRun : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly TaskCompletionSource _retrying = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly string _messages;

        private ClientRun(Process process, string messages)
        {
            _process = process;
            _messages = messages;
        }

        public Task Retrying => _retrying.Task;

        public static ClientRun Start(string host, string writeKey, string messages)
        {
            var file = Path.Combine(Path.GetTempPath(), $"cdp-{Guid.NewGuid():N}.json");
            File.WriteAllText(file, messages);
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = Repository.File("tests/tools"),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "cdp-send.mjs", "--client", "rudderstack", "--host", host, "--write-key", writeKey, "--messages", file,
                "--max-retries", "40", "--retry-delay-ms", "500", "--timeout-ms", "120000" })
            {
                start.ArgumentList.Add(argument);
            }

            var run = new ClientRun(new Process { StartInfo = start }, file);
            run._process.OutputDataReceived += (_, e) => run.Receive(e.Data);
            run._process.ErrorDataReceived += (_, e) => run.Receive(e.Data);
            run._process.Start();
            run._process.BeginOutputReadLine();
            run._process.BeginErrorReadLine();
            return run;
        }

        public async Task<(int ExitCode, string Output)> EndAsync(TimeSpan timeout)
        {
            await _process.WaitForExitAsync(Ct).WaitAsync(timeout, Ct);
            lock (_output)
            {
                return (_process.ExitCode, _output.ToString());
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            _process.Dispose();
            File.Delete(_messages);
        }

        private void Receive(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (line.Contains("rudderstack retry", StringComparison.Ordinal))
            {
                _retrying.TrySetResult();
            }
        }
    }
}
