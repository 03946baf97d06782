using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace LeadScore.Benchmarks;

/// <summary>
/// The job every benchmark runs with unless the command line names another. BenchmarkDotNet's default
/// job can take many minutes per benchmark on a small shared machine, and its ShortRun takes the median
/// of three iterations only; this job measures 21 iterations after 5 warm-ups in one process, which
/// finishes in a few minutes and gives a median that a single noisy iteration cannot move.
/// </summary>
internal static class BenchmarkConfig
{
    public const string JobId = "Modest";

    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithId(JobId)
            .WithLaunchCount(1)
            .WithWarmupCount(5)
            .WithIterationCount(21)
            .AsDefault())
        .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
}
