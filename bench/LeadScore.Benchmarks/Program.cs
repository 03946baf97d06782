using BenchmarkDotNet.Running;
using LeadScore.Benchmarks;

if (args is ["store-ingest" or "store-bulk" or "store-load" or "store-publish", ..])
{
    return await LeadScore.Benchmarks.Store.StoreBenchmark.RunAsync(args, Console.Out);
}

if (args is ["http-load", ..])
{
    return await LeadScore.Benchmarks.Http.HttpLoad.RunAsync(args[1..], Console.Out);
}

if (args is ["smoke"])
{
    return SmokeRun.Run(Console.Out);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create());
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
