using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace LeadScore.Benchmarks.Http;

/// <summary>
/// A closed-loop load generator for the HTTP API: <c>concurrency</c> workers each send a request,
/// wait for its answer, and send the next, for a fixed time after a warm-up. Single mode posts one
/// event per request to /api/v1/events; batch mode posts 1,000 per request to /api/v1/events/batch;
/// segment-batch mode posts the same 1,000 events as Segment Spec track calls to /v1/batch, with the
/// key as HTTP Basic user name, as Segment's and RudderStack's SDKs send them.
/// Events name the contacts c{first}..c{first+contacts-1} (first is 0 unless given) in a seeded random
/// order, each event id new.
/// Reports requests/s, events/s and latency percentiles; any non-2xx answer is counted and shown.
/// </summary>
internal static class HttpLoad
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args.Length < 3)
        {
            output.WriteLine("usage: http-load URL API_KEY single|batch|segment-batch [seconds=20] [concurrency=32] [contacts=1000] [first=0]");
            return 2;
        }

        var baseAddress = new Uri(args[0]);
        var key = args[1];
        var segment = args[2] == "segment-batch";
        var batch = segment || args[2] == "batch";
        var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
        var concurrency = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : batch ? 2 : 32;
        var contacts = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 1000;
        var first = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 0;
        var eventsPerRequest = batch ? 1000 : 1;

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = segment
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")))
            : new AuthenticationHeaderValue("Bearer", key);
        var path = segment ? "/v1/batch" : batch ? "/api/v1/events/batch" : "/api/v1/events";
        var runId = Guid.NewGuid().ToString("N")[..8];

        // Warm-up: connections opened, JIT done, caches filled; not measured.
        var warmUp = TimeSpan.FromSeconds(Math.Min(5, Math.Max(1, seconds / 4)));
        await RunWorkersAsync(client, path, segment, concurrency, first, contacts, eventsPerRequest, runId + "w", warmUp);
        var results = await RunWorkersAsync(client, path, segment, concurrency, first, contacts, eventsPerRequest, runId, TimeSpan.FromSeconds(seconds));

        var latencies = results.SelectMany(r => r.LatenciesMs).Order().ToArray();
        var failures = results.Sum(r => r.Failures);
        var elapsed = results.Max(r => r.ElapsedSeconds);
        var requests = latencies.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"http-load {(segment ? "/v1/batch of 1,000 (Segment Spec)" : batch ? "batch of 1,000" : "single event")}: {concurrency} connections, {seconds} s, {contacts:N0} contacts{(first > 0 ? $" from c{first}" : "")}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {requests:N0} requests ({failures:N0} failed): {requests / elapsed:N0} requests/s, {requests * eventsPerRequest / elapsed:N0} events/s"));
        if (requests > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  latency ms: p50 {Percentile(latencies, 0.50):F2}, p90 {Percentile(latencies, 0.90):F2}, p99 {Percentile(latencies, 0.99):F2}, max {latencies[^1]:F2}"));
        }

        foreach (var failure in results.SelectMany(r => r.FailureSamples).Distinct().Take(3))
        {
            output.WriteLine("  failure: " + failure);
        }

        return failures == 0 ? 0 : 1;
    }

    private static async Task<WorkerResult[]> RunWorkersAsync(
        HttpClient client, string path, bool segment, int concurrency, int first, int contacts, int eventsPerRequest, string runId, TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency)
            .Select(w => Task.Run(() => WorkAsync(client, path, segment, first, contacts, eventsPerRequest, $"{runId}-{w}", new Random(w), stopAt)))
            .ToArray();
        return await Task.WhenAll(workers);
    }

    private static async Task<WorkerResult> WorkAsync(
        HttpClient client, string path, bool segment, int first, int contacts, int eventsPerRequest, string prefix, Random random, long stopAt)
    {
        var result = new WorkerResult();
        var started = Stopwatch.GetTimestamp();
        var body = new StringBuilder(eventsPerRequest * 150);
        var sequence = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            body.Clear();
            if (eventsPerRequest > 1)
            {
                body.Append(segment ? "{\"batch\":[" : "[");
            }

            for (var i = 0; i < eventsPerRequest; i++)
            {
                if (i > 0)
                {
                    body.Append(',');
                }

                if (segment)
                {
                    AppendTrack(body, $"{prefix}-{sequence++}", first + random.Next(contacts), random);
                }
                else
                {
                    AppendEvent(body, $"{prefix}-{sequence++}", first + random.Next(contacts), random);
                }
            }

            if (eventsPerRequest > 1)
            {
                body.Append(segment ? "]}" : "]");
            }

            using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/json");
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.PostAsync(path, content);
                var text = response.IsSuccessStatusCode ? null : await response.Content.ReadAsStringAsync();
                result.LatenciesMs.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (text is not null)
                {
                    result.Failures++;
                    result.FailureSamples.Add($"{(int)response.StatusCode} {(text.Length > 200 ? text[..200] : text)}");
                }
            }
            catch (HttpRequestException ex)
            {
                result.Failures++;
                result.FailureSamples.Add(ex.Message);
            }
        }

        result.ElapsedSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return result;
    }

    private static readonly string[] Types = ["email_open", "email_click", "page_view", "page_view", "site_session", "content_download", "webinar_attended", "pricing_page_view"];

    private static void AppendEvent(StringBuilder body, string id, int contact, Random random)
    {
        var type = Types[random.Next(Types.Length)];
        var occurred = DateTimeOffset.UtcNow.AddMinutes(-random.Next(60 * 24 * 30));
        body.Append(CultureInfo.InvariantCulture,
            $$$"""{"id":"{{{id}}}","contact":"c{{{contact}}}","type":"{{{type}}}","occurredAt":"{{{occurred:yyyy-MM-ddTHH:mm:ssZ}}}","properties":{"url":"/pricing"}}""");
    }

    // The same events as Types, named as a Segment source names them (built-in and snake_case mapping make them the same types).
    private static readonly string[] Names = ["Email Opened", "Email Link Clicked", "Page View", "Page View", "Application Opened", "Content Downloaded", "Webinar Attended", "Pricing Page View"];

    private static void AppendTrack(StringBuilder body, string id, int contact, Random random)
    {
        var name = Names[random.Next(Names.Length)];
        var occurred = DateTimeOffset.UtcNow.AddMinutes(-random.Next(60 * 24 * 30));
        body.Append(CultureInfo.InvariantCulture,
            $$$"""{"type":"track","messageId":"{{{id}}}","userId":"c{{{contact}}}","event":"{{{name}}}","timestamp":"{{{occurred:yyyy-MM-ddTHH:mm:ssZ}}}","properties":{"url":"/pricing"}}""");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private sealed class WorkerResult
    {
        public List<double> LatenciesMs { get; } = new(100_000);

        public List<string> FailureSamples { get; } = [];

        public int Failures { get; set; }

        public double ElapsedSeconds { get; set; }
    }
}
