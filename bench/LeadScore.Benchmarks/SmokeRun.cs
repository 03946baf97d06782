using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace LeadScore.Benchmarks;

/// <summary>
/// Runs every benchmark body once, without BenchmarkDotNet, so that CI can prove in seconds that the
/// benchmarks still set up and run; then checks that the synthetic contacts exercise every rule of
/// the benchmark model. The timings it prints are single cold runs, not measurements.
/// </summary>
internal static class SmokeRun
{
    public static int Run(TextWriter output)
    {
        foreach (var type in BenchmarkTypes())
        {
            var instance = Activator.CreateInstance(type)
                ?? throw new InvalidOperationException($"{type.Name} could not be created.");
            InvokeAll<GlobalSetupAttribute>(type, instance);
            foreach (var method in MethodsWith<BenchmarkAttribute>(type))
            {
                var operations = method.GetCustomAttribute<BenchmarkAttribute>()!.OperationsPerInvoke;
                var stopwatch = Stopwatch.StartNew();
                method.Invoke(instance, null);
                output.WriteLine($"{type.Name}.{method.Name}: {operations:N0} operation(s) in {stopwatch.Elapsed.TotalMilliseconds:N1} ms (one cold run)");
            }

            InvokeAll<GlobalCleanupAttribute>(type, instance);
        }

        return RuleCoverage.Check(output) ? 0 : 1;
    }

    private static IEnumerable<Type> BenchmarkTypes() =>
        typeof(SmokeRun).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && MethodsWith<BenchmarkAttribute>(type).Any())
            .OrderBy(type => type.Name, StringComparer.Ordinal);

    private static IEnumerable<MethodInfo> MethodsWith<TAttribute>(Type type)
        where TAttribute : Attribute =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(method => method.IsDefined(typeof(TAttribute)));

    private static void InvokeAll<TAttribute>(Type type, object instance)
        where TAttribute : Attribute
    {
        foreach (var method in MethodsWith<TAttribute>(type))
        {
            method.Invoke(instance, null);
        }
    }
}
