using BenchmarkDotNet.Attributes;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Subjects;

namespace LeadScore.Benchmarks;

// Public and unsealed: BenchmarkDotNet generates a class that derives from it.
/// <summary>
/// Scores a 30-rule model over contacts with 50 events each, the figure behind the aim of 500,000
/// contacts per second on one core. One invocation makes <see cref="ContactCount"/> score calls, so
/// the reported time and allocation are per contact.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    public const int ContactCount = 10_000;

    public const int EventsPerContact = 50;

    /// <summary>Few enough contacts (about 2.3 MB with their events) to stay in the CPU caches.</summary>
    public const int CacheResidentCount = 100;

    private CompiledModel _model = null!;
    private ScoringSubject[] _contacts = [];
    private ScoringSubject[] _cacheResident = [];

    [GlobalSetup]
    public void Setup()
    {
        _model = BenchmarkModels.Compile(BenchmarkModels.Balanced30);
        _contacts = SyntheticContacts.Generate(ContactCount, EventsPerContact);
        _cacheResident = _contacts[..CacheResidentCount];
    }

    /// <summary>
    /// The full score card of each of 10,000 contacts (about 230 MB with their events, far more than
    /// the caches hold), explanation included, as every caller of the engine gets it.
    /// </summary>
    [Benchmark(OperationsPerInvoke = ContactCount)]
    public long ScoreContact() => ScoreAll(_contacts, rounds: 1);

    /// <summary>
    /// The same work over 100 contacts scored 100 times each: the engine's own cost without the
    /// memory traffic of reading contacts and events. The gap to <see cref="ScoreContact"/> is that traffic.
    /// </summary>
    [Benchmark(OperationsPerInvoke = ContactCount)]
    public long ScoreContactInCache() => ScoreAll(_cacheResident, rounds: ContactCount / CacheResidentCount);

    private long ScoreAll(ScoringSubject[] contacts, int rounds)
    {
        // Summing the scores keeps the JIT from discarding the work.
        var sum = 0L;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var contact in contacts)
            {
                sum += _model.Score(contact, SyntheticContacts.AsOf).Score;
            }
        }

        return sum;
    }
}
