using System.Reflection;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;

namespace LeadScore.Benchmarks;

/// <summary>The models the benchmarks score with, embedded in this assembly so that every run scores the same model.</summary>
internal static class BenchmarkModels
{
    /// <summary>30 rules over fit and engagement: field tests, windows, caps, decay, filters, counts, guards and segments.</summary>
    public const string Balanced30 = "balanced-30.json";

    public static string ReadJson(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The benchmark model '{name}' is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static ScoringModel Parse(string name) => ParseJson(name, ReadJson(name));

    public static ScoringModel ParseJson(string name, string json)
    {
        var validation = ScoringModelJson.Parse(json);
        if (!validation.IsValid)
        {
            throw new InvalidOperationException(
                $"The benchmark model '{name}' is invalid: {string.Join("; ", validation.Errors)}");
        }

        return validation.Model;
    }

    public static CompiledModel Compile(string name) => CompiledModel.Compile(Parse(name));
}
