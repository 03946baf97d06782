using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LeadScore.SideBySide.Report;

/// <summary>
/// Turns the results directory run.sh filled (machine.txt, each step's .out/.err/.time and JSON
/// figures) into one Markdown page. A part whose figures are missing says "not measured"; nothing is
/// ever filled in.
/// </summary>
internal static partial class ReportWriter
{
    private const string NotMeasured = "not measured";

    public static int Run(string results, string output)
    {
        var machine = File.ReadLines(Path.Combine(results, "machine.txt"))
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        var page = new StringBuilder();
        var r = new Reader(results);
        var size = machine.GetValueOrDefault("quick") == "1" ? "quick run (small sizes, a smoke check, not figures to quote)"
            : machine.GetValueOrDefault("contacts") == "1000000" ? "full run"
            : $"medium run (part 1 at {machine.GetValueOrDefault("contacts")} contacts instead of 1,000,000; the other parts at full size)";
        page.AppendLine($"## Side by side, {size}")
            .AppendLine()
            .AppendLine($"{machine.GetValueOrDefault("date")}, commit {machine.GetValueOrDefault("commit")}. Machine: {machine.GetValueOrDefault("cpu")}, " +
                        $"nproc {machine.GetValueOrDefault("nproc")}, {machine.GetValueOrDefault("ram")} RAM, {machine.GetValueOrDefault("os")}, " +
                        $".NET SDK {machine.GetValueOrDefault("dotnet")}. Load average (1, 5, 15 min) {machine.GetValueOrDefault("load_start")} at the start, " +
                        $"{machine.GetValueOrDefault("load_end")} at the end; the whole run took {machine.GetValueOrDefault("seconds")} s.")
            .AppendLine();

        var mismatches = Rescore(page, r);
        Prediction(page, r);
        Ranking(page, r, machine);
        Ingest(page, r, machine);

        page.AppendLine("### Every step").AppendLine()
            .AppendLine("| step | wall | peak memory (max RSS) |").AppendLine("|---|---:|---:|");
        foreach (var time in Directory.GetFiles(results, "*.time").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(time);
            page.AppendLine($"| {name} | {r.Wall(name)} | {r.Peak(name)} |");
        }

        page.AppendLine().AppendLine("Peak memory is the largest resident set of the step's process and of the children it waited for " +
            "(PostgreSQL, started as a daemon by the store and HTTP scripts, is not included).");
        File.WriteAllText(output, page.ToString());
        return mismatches == 0 ? 0 : 3;
    }

    private static long? Rescore(StringBuilder page, Reader r)
    {
        page.AppendLine("### 1. Bulk re-score: LeadScore's engine against the same 30 rules as one DuckDB query").AppendLine();
        var ours = r.Json("rescore-leadscore");
        var duck = r.Json("rescore-duckdb");
        var check = r.Json("rescore-compare");
        if (ours is null || duck is null)
        {
            page.AppendLine($"{NotMeasured} (a step failed; see its error output).").AppendLine();
            return check?["mismatches"]?.GetValue<long>();
        }

        var contacts = ours["contacts"]!.GetValue<double>();
        var oneCore = Median(ours["oneCoreSeconds"]);
        var allCores = Median(ours["allCoresSeconds"]);
        var query = Median(duck["querySeconds"]);
        page.AppendLine($"{contacts:N0} contacts, {ours["events"]!.GetValue<double>():N0} events, model `bench/side-by-side/Models/side-by-side-30.json` " +
                        $"({ours["rules"]} rules), data held in memory by both; median of {ours["oneCoreSeconds"]!.AsArray().Count} passes each.")
            .AppendLine()
            .AppendLine("| | load the data | score every contact (median) | contacts/s | LeadScore ÷ DuckDB |")
            .AppendLine("|---|---:|---:|---:|---:|")
            .AppendLine($"| DuckDB {duck["version"]}, one SQL query, {duck["threads"]} threads | {Seconds(duck["loadSeconds"])} | {query:F3} s | {contacts / query:N0} | 1 |")
            .AppendLine($"| LeadScore `CompiledModel.Score`, {ours["cores"]} cores (`Parallel.For`) | {Seconds(ours["loadSeconds"])} | {allCores:F3} s | {contacts / allCores:N0} | **{query / allCores:F2}** |")
            .AppendLine($"| LeadScore `CompiledModel.Score`, one thread | | {oneCore:F3} s | {contacts / oneCore:N0} | {query / oneCore:F2} |")
            .AppendLine();
        var aim = query / allCores >= 1 ? "met" : "not met";
        page.AppendLine($"Aim (LeadScore at least as fast as DuckDB, same run): **{aim}** in this run. " +
                        "LeadScore's figure is a full `ScoreCard` per contact (categories, explanation with event ids, next change); " +
                        "DuckDB's is the points and total per contact, read back into .NET. Loading: LeadScore parses the JSON Lines into " +
                        "its objects with System.Text.Json; DuckDB runs `read_json` on the same files.").AppendLine();
        if (check is null)
        {
            page.AppendLine($"Same points check: {NotMeasured}.").AppendLine();
            return null;
        }

        var count = check["mismatches"]!.GetValue<long>();
        page.AppendLine($"Same points check: {check["compared"]} contacts compared, **{count} mismatches** (points as the card rounds them, half away from zero).");
        foreach (var sample in check["firstMismatches"]!.AsArray())
        {
            page.AppendLine($"- {sample}");
        }

        page.AppendLine().AppendLine("Every rule of the model is in the query: fit tests (`in`, `between`, regular expressions, `all`), windows, " +
            "per-occurrence points with caps, half-life decay (per occurrence and of the newest event), `expiresAfter`, `where` on event " +
            "properties, `count` thresholds, event conditions inside `when` (also under `not`), negative points, category budgets, " +
            "disqualifiers. The query does not compute what the card adds beyond points (explanations, `nextChangeAt`, grade, thresholds).").AppendLine();
        return count;
    }

    private static void Prediction(StringBuilder page, Reader r)
    {
        page.AppendLine("### 2. Prediction on bank marketing: LeadScore, scikit-learn and an Odoo-style naive Bayes, same folds").AppendLine();
        if (r.Exists("bank.missing"))
        {
            page.AppendLine($"{NotMeasured}: {r.Text("bank.missing").Trim()}").AppendLine();
            return;
        }

        page.AppendLine("| columns | model | out-of-fold ROC-AUC | seconds (5 folds; median) | − LeadScore |").AppendLine("|---|---|---:|---:|---:|");
        foreach (var (tag, label) in new[] { ("all", "with `duration`"), ("duration", "without `duration`") })
        {
            var runs = Enumerable.Range(1, 9).Select(i => r.Json($"bank-leadscore-{tag}-{i}", fromOut: true)).OfType<JsonObject>().ToList();
            if (runs.Count == 0)
            {
                page.AppendLine($"| {label} | LeadScore | {NotMeasured} | | |");
                continue;
            }

            var ourAuc = runs[0]["auc"]!.GetValue<double>();
            var ourSeconds = MedianOf(runs.Select(j => j["seconds"]!.GetValue<double>()));
            page.AppendLine($"| {label} | LeadScore ({runs[0]["trainer"]}, held-out calibrated) | {ourAuc:F4} | {ourSeconds:F2} (training; `./leadscore train`) | |");
            var sklearn = r.Text($"bank-sklearn-{tag}.out");
            foreach (Match line in SklearnLine().Matches(sklearn))
            {
                var auc = double.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture);
                page.AppendLine($"| {label} | scikit-learn {line.Groups[1].Value} | {auc:F4} | {line.Groups[3].Value} | {auc - ourAuc:+0.0000;-0.0000;0} |");
            }

            if (sklearn.Length == 0)
            {
                page.AppendLine($"| {label} | scikit-learn | {NotMeasured} | | |");
            }

            var bayes = r.Json($"bank-naive-bayes-{tag}");
            if (bayes is null)
            {
                page.AppendLine($"| {label} | naive Bayes (Odoo-style) | {NotMeasured} | | |");
            }
            else
            {
                var auc = bayes["auc"]!.GetValue<double>();
                page.AppendLine($"| {label} | naive Bayes (Odoo-style, deciles, Laplace) | {auc:F4} | {bayes["seconds"]!.GetValue<double>():F2} | {auc - ourAuc:+0.0000;-0.0000;0} |");
                if (tag == "duration")
                {
                    page.AppendLine().AppendLine($"{bayes["rows"]} rows, {bayes["positives"]} subscribed, {bayes["folds"]} folds written by `leadscore train --folds-out`; " +
                        "AUC pooled over the out-of-fold predictions for every model. LeadScore's seconds are its own training (reading excluded), " +
                        "scikit-learn's the 5 fits and predictions, the naive Bayes' its 5 fits and predictions.");
                }
            }
        }

        page.AppendLine();
    }

    private static void Ranking(StringBuilder page, Reader r, Dictionary<string, string> machine)
    {
        page.AppendLine("### 3. Ranking quality on the synthetic funnel (ROC-AUC against truth.csv: converted)").AppendLine();
        var ranking = r.Json("ranking");
        if (ranking is null)
        {
            page.AppendLine($"{NotMeasured}.").AppendLine();
        }
        else
        {
            page.AppendLine($"`leadscore generate --contacts {ranking["contacts"]} --seed 3`, {ranking["converted"]} converted; points as of the period's end.")
                .AppendLine().AppendLine("| ranking | AUC | in-sample? |").AppendLine("|---|---:|---|")
                .AppendLine($"| the generator's true propensity (drawn before the outcome; behaviour that follows a decision can rank better) | {Number(ranking["truePropensity"], "F4")} | |")
                .AppendLine($"| balanced example model, points | {Number(ranking["balanced"], "F4")} | no: written by hand, before the data |")
                .AppendLine(r.Text("review.declined").Length == 0
                    ? $"| the review's proposal (`leadscore review --since 90d`, proposal.model), points | {Number(ranking["proposal"], "F4")} | **yes**: fitted on these outcomes |"
                    : $"| the review's proposal (`leadscore review --since 90d`): none, it keeps the published model (out of time its proposal did not beat it), points | {Number(ranking["proposal"], "F4")} | |");
        }

        page.AppendLine();
        var forecast = r.Json("forecast");
        if (forecast is null)
        {
            page.AppendLine($"Forecast: {NotMeasured}.").AppendLine();
            return;
        }

        page.AppendLine($"**A forecast.** `leadscore generate --contacts {machine.GetValueOrDefault("funnel")} --seed 4 --days {machine.GetValueOrDefault("forecast_days")}` with its period ending 90 days after " +
                $"this run, cut at the run's start T0 = {forecast["cut"]} to what was known then: the contacts created, their events and their " +
                $"conversions before T0 (deals left out: the generator writes them as they ended). {forecast["open"]} contacts were open at T0 and " +
                $"{forecast["convertedAfter"]} of them converted in the 90 days after it. Each ranking below saw only the cut, and is judged by those conversions.")
            .AppendLine().AppendLine("| ranking of the contacts open at T0 | AUC | fitted on |").AppendLine("|---|---:|---|")
            .AppendLine($"| the generator's true propensity | {Number(forecast["truePropensity"], "F4")} | (the truth) |")
            .AppendLine($"| balanced example model, points at T0 | {Number(forecast["balanced"], "F4")} | nothing: written by hand |")
            .AppendLine(r.Text("review-cut.declined").Length == 0
                ? $"| the review's proposal (`leadscore review --as-of T0 --since 90d` on the cut), points at T0 | {Number(forecast["proposal"], "F4")} | conversions before T0 |"
                : $"| the review's proposal (`leadscore review --as-of T0 --since 90d` on the cut): none, it keeps the published model (out of time its proposal forecast worse), points at T0 | {Number(forecast["proposal"], "F4")} | |")
            .AppendLine($"| predictive model (`leadscore predictive train` on the cut, then `leadscore export predictions`), probability " +
                $"({forecast["predicted"]} of {forecast["open"]} open contacts predicted) | {Number(forecast["predictive"], "F4")} | conversions before T0 |")
            .AppendLine();
    }

    private static void Ingest(StringBuilder page, Reader r, Dictionary<string, string> machine)
    {
        page.AppendLine("### 4. Ingest with real-time scoring (bench/run-store-benchmarks.sh, bench/run-http-benchmarks.sh)").AppendLine();
        var store = r.Text("store.out");
        var http = r.Text("http.out");
        if (store.Length == 0 && http.Length == 0)
        {
            page.AppendLine($"{NotMeasured}.").AppendLine();
            return;
        }

        page.AppendLine($"Store: `run-store-benchmarks.sh {machine.GetValueOrDefault("store_args")}` (contacts, events each; random: each batch touches 1,000 contacts drawn from anywhere). " +
                        $"HTTP: `run-http-benchmarks.sh {machine.GetValueOrDefault("http_args")}` (seconds, connections, contacts; the second wrk run counts).")
            .AppendLine().AppendLine("| store | batches of 1,000, in process (median batch) | batches of 1,000 over HTTP | the same as Segment `/v1/batch` | single events over HTTP | p50 | p99 |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var storeParts = store.Split("== ", StringSplitOptions.RemoveEmptyEntries);
        var httpParts = http.Split("== ", StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in new[] { "SQLite", "PostgreSQL" })
        {
            var s = storeParts.FirstOrDefault(p => p.StartsWith(name, StringComparison.Ordinal)) ?? "";
            var h = httpParts.FirstOrDefault(p => p.StartsWith(name, StringComparison.Ordinal)) ?? "";
            var batch = StoreBatch().Match(s);
            var httpBatch = HttpBatch().Match(h);
            var freshBatch = FreshBatch().Match(h);
            var segmentBatch = SegmentBatch().Match(h);
            var wrk = WrkRequests().Matches(h);
            var p50 = WrkPercentile50().Matches(h);
            var p99 = WrkPercentile99().Matches(h);
            page.AppendLine($"| {name} | {(batch.Success ? batch.Groups[1].Value + " events/s" : NotMeasured)} | " +
                            $"{(httpBatch.Success ? httpBatch.Groups[1].Value + " events/s" : NotMeasured)} | " +
                            $"{(segmentBatch.Success ? $"{segmentBatch.Groups[1].Value} events/s{Ratio(segmentBatch, freshBatch)}" : NotMeasured)} | " +
                            $"{(wrk.Count > 0 ? wrk[^1].Groups[1].Value + " requests/s" : NotMeasured)} | " +
                            $"{(p50.Count > 0 ? p50[^1].Groups[1].Value : "")} | {(p99.Count > 0 ? p99[^1].Groups[1].Value : "")} |");
        }

        page.AppendLine("| **aim** (ARCHITECTURE.md, SQLite, 2 cores) | 50,000 events/s | | at least the batches over HTTP | 5,000 requests/s | | under 20 ms |").AppendLine();
    }

    /// <summary>Segment's events/s over our own API's on contacts as fresh: " (1.02x /api/v1/events/batch's 9,100)".</summary>
    private static string Ratio(Match segment, Match events)
    {
        if (!events.Success)
        {
            return "";
        }

        var s = double.Parse(segment.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var e = double.Parse(events.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        return e > 0 ? $" ({(s / e).ToString("0.00", CultureInfo.InvariantCulture)}x /api/v1/events/batch's {events.Groups[1].Value} on contacts as fresh)" : "";
    }

    private static double Median(JsonNode? values) => MedianOf(values!.AsArray().Select(v => v!.GetValue<double>()));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Seconds(JsonNode? value) => value is null ? "" : $"{value.GetValue<double>():F2} s";

    private static string Number(JsonNode? value, string format) => value is null ? NotMeasured : value.GetValue<double>().ToString(format, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"sklearn (\w+): AUC ([0-9.]+), seconds \(median of \d+\) ([0-9.]+)")]
    private static partial Regex SklearnLine();

    [GeneratedRegex(@"median batch [0-9.]+ ms = ([0-9,]+) events/s")]
    private static partial Regex StoreBatch();

    [GeneratedRegex(@"batch of 1,000:[^\n]*\n\s*[0-9,]+ requests \([0-9,]+ failed\): [0-9,]+ requests/s, ([0-9,]+) events/s")]
    private static partial Regex HttpBatch();

    [GeneratedRegex(@"batch of 1,000: [^\n]* from c100000\n\s*[0-9,]+ requests \([0-9,]+ failed\): [0-9,]+ requests/s, ([0-9,]+) events/s")]
    private static partial Regex FreshBatch();

    [GeneratedRegex(@"/v1/batch of 1,000 \(Segment Spec\):[^\n]*\n\s*[0-9,]+ requests \([0-9,]+ failed\): [0-9,]+ requests/s, ([0-9,]+) events/s")]
    private static partial Regex SegmentBatch();

    [GeneratedRegex(@"Requests/sec:\s*([0-9.]+)")]
    private static partial Regex WrkRequests();

    [GeneratedRegex(@"\s50%\s+([0-9.]+\w+)")]
    private static partial Regex WrkPercentile50();

    [GeneratedRegex(@"\s99%\s+([0-9.]+\w+)")]
    private static partial Regex WrkPercentile99();

    private sealed class Reader(string directory)
    {
        public bool Exists(string file) => File.Exists(Path.Combine(directory, file));

        public string Text(string file) => Exists(file) ? File.ReadAllText(Path.Combine(directory, file)) : "";

        public JsonObject? Json(string step, bool fromOut = false)
        {
            var path = Path.Combine(directory, step + (fromOut ? ".out" : ".json"));
            try
            {
                return Results.Read(path);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }

        public string Wall(string step) => TimeField(step, 0) is { } wall ? $"{double.Parse(wall, CultureInfo.InvariantCulture):F1} s" : "";

        public string Peak(string step) => TimeField(step, 1) is { } kb ? $"{long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0:N0} MB" : "";

        // /usr/bin/time -f "%e %M" writes "wall KB" on its last line (after "Command exited..." when the step failed).
        private string? TimeField(string step, int index)
        {
            var fields = Text(step + ".time").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' ')).LastOrDefault(p => p.Length == 2 && double.TryParse(p[0], CultureInfo.InvariantCulture, out _));
            return fields?[index];
        }
    }
}
