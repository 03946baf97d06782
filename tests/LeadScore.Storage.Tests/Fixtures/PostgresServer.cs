using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace LeadScore.Storage.Tests.Fixtures;

/// <summary>
/// A PostgreSQL 15 server of the tests' own, started from the machine's binaries in a temporary
/// directory and listening on 127.0.0.1 on a free port; each test asks it for a fresh database.
/// Durability is switched off (fsync, synchronous commit, full page writes): the data lives as long
/// as the test run. A machine without PostgreSQL fails these tests with how to install it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>Where initdb, pg_ctl and postgres are: $LEADSCORE_PG_BIN when set (another version or layout), else Debian's PostgreSQL 15.</summary>
    public static string BinDirectory { get; } =
        Environment.GetEnvironmentVariable("LEADSCORE_PG_BIN") is { Length: > 0 } bin ? bin : "/usr/lib/postgresql/15/bin";

    private const string Superuser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _log = new();
    private string? _directory;
    private Process? _server;
    private int _databases;

    public int Port { get; private set; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database}";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    public async ValueTask InitializeAsync()
    {
        foreach (var program in new[] { "initdb", "postgres", "pg_ctl" })
        {
            if (!File.Exists(Path.Combine(BinDirectory, program)))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL 15 is not installed ({Path.Combine(BinDirectory, program)} is missing), and the store tests "
                    + "run against a real server. Install it with: apt-get update && apt-get install -y postgresql-15");
            }
        }

        _directory = Directory.CreateTempSubdirectory("leadscore-pg-").FullName;
        if (Environment.IsPrivilegedProcess)
        {
            // initdb refuses to run as root; the server runs as the postgres user, which must own its directory.
            await RunAsync("chown", [$"{Superuser}:", _directory]);
        }

        await RunAsync(Tool("initdb"), ["-D", _directory, "-A", "trust", "-U", Superuser, "-E", "UTF8", "--locale=C", "--no-sync"]);

        Port = FreePort();
        _server = Start(Tool("postgres"),
        [
            "-D", _directory, "-k", _directory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=300",
        ]);
        await WaitUntilAcceptingAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            if (!_server.HasExited)
            {
                try
                {
                    await RunAsync(Tool("pg_ctl"), ["stop", "-D", _directory!, "-m", "immediate", "-w"]);
                }
                catch (InvalidOperationException)
                {
                    // pg_ctl could not stop it; the kill below does.
                }

                using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _server.WaitForExitAsync(exited.Token);
                }
                catch (OperationCanceledException)
                {
                    _server.Kill(entireProcessTree: true);
                }
            }

            _server.Dispose();
        }

        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Tool(string name) => Path.Combine(BinDirectory, name);

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    // As root, PostgreSQL's programs run as the postgres user; otherwise as whoever runs the tests.
    private static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var asPostgres = Environment.IsPrivilegedProcess && program.StartsWith(BinDirectory, StringComparison.Ordinal);
        var info = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var prefix in new[] { "-u", Superuser, "--", program })
            {
                info.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static async Task RunAsync(string program, IEnumerable<string> arguments)
    {
        var info = StartInfo(program, arguments);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{info.FileName} {string.Join(' ', info.ArgumentList)}' failed with exit code {process.ExitCode}:\n{await output}{await error}");
        }
    }

    private Process Start(string program, IEnumerable<string> arguments)
    {
        var process = new Process { StartInfo = StartInfo(program, arguments) };
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private string LogText()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        var probe = ConnectionString("postgres") + ";Pooling=false;Timeout=2";
        while (true)
        {
            if (_server!.HasExited)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL exited with code {_server.ExitCode} while starting on port {Port}:\n{LogText()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException(
                        $"PostgreSQL did not accept connections on port {Port} within {StartTimeout.TotalSeconds:0} s ({ex.Message}):\n{LogText()}", ex);
                }

                await Task.Delay(100);
            }
        }
    }
}
