using System.Globalization;
using LeadScore.SideBySide.Prediction;
using LeadScore.SideBySide.Ranking;
using LeadScore.SideBySide.Report;
using LeadScore.SideBySide.Rescore;

// One step per process, so that run.sh can measure each one's peak memory with /usr/bin/time.
// run.sh is the entry point; these subcommands are its building blocks.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: leadscore-side-by-side rescore-engine|rescore-duckdb|compare-points|naive-bayes|ranking|forecast-cut|forecast|report ...  (run bench/side-by-side/run.sh)");
    return 1;
}

static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

var a = args;
return a[0] switch
{
    "rescore-engine" => EngineRescore.Run(a[1], a[2], Instant(a[3]), int.Parse(a[4], CultureInfo.InvariantCulture), a[5], a[6]),
    "rescore-duckdb" => DuckDbRescore.Run(a[1], a[2], Instant(a[3]), int.Parse(a[4], CultureInfo.InvariantCulture), a[5], a[6]),
    "compare-points" => PointsComparison.Run(a[1], a[2], a[3]),
    "naive-bayes" => NaiveBayesCrossValidation.Run(a[1], a[2], a[3], a[4]),
    "ranking" => RankingQuality.Run(a[1], a[2..^2], Instant(a[^2]), a[^1]),
    "forecast-cut" => ForecastCut.Run(a[1], a[2], Instant(a[3])),
    "forecast" => ForecastQuality.Run(a[1], a[2], a[3], a[4..^2], Instant(a[^2]), a[^1]),
    "report" => ReportWriter.Run(a[1], a[2]),
    _ => Usage(a[0]),
};

static int Usage(string command)
{
    Console.Error.WriteLine($"leadscore-side-by-side: unknown step '{command}'");
    return 1;
}
