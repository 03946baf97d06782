using BenchmarkDotNet.Attributes;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;

namespace LeadScore.Benchmarks;

// Public and unsealed: BenchmarkDotNet generates a class that derives from it.
/// <summary>What it costs to turn the 30-rule model into an evaluator: paid once per model version, not per contact.</summary>
[MemoryDiagnoser]
public class CompilationBenchmarks
{
    private string _json = string.Empty;
    private ScoringModel _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        _json = BenchmarkModels.ReadJson(BenchmarkModels.Balanced30);
        _model = BenchmarkModels.ParseJson(BenchmarkModels.Balanced30, _json);
    }

    /// <summary>Validation and compilation of a model already parsed.</summary>
    [Benchmark]
    public CompiledModel CompileModel() => CompiledModel.Compile(_model);

    /// <summary>From JSON text to evaluator: what loading a stored model costs.</summary>
    [Benchmark]
    public CompiledModel ParseAndCompileModel() => CompiledModel.Compile(BenchmarkModels.ParseJson(BenchmarkModels.Balanced30, _json));
}
