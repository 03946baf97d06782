using System.Globalization;
using LeadScore.Cli.Input;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Review;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;

namespace LeadScore.Cli.Tests.Generation;

/// <summary>
/// The generated funnel must tell a good scoring model from a bad one: the balanced example model
/// ranks converters well above chance, a model that scores only unsubscribes and bounces does not.
/// </summary>
public sealed class ModelQualityTests : IClassFixture<ModelQualityTests.GeneratedFunnel>
{
    private const string BadModel = """
        {"key": "bad", "name": "Rewards leaving the list", "target": "contact", "scale": 100,
         "categories": [{"key": "fit", "dimension": "fit", "budget": 50}, {"key": "noise", "dimension": "engagement", "budget": 50}],
         "rules": [
           {"key": "has-email", "category": "fit", "points": 1, "when": {"field": "email", "exists": true}},
           {"key": "unsubscribed", "category": "noise", "points": 30, "event": {"type": "unsubscribe"}},
           {"key": "bounced", "category": "noise", "points": 30, "event": {"type": "email_bounce"}}]}
        """;

    private static readonly string Balanced = File.ReadAllText(Repository.File("examples/models/balanced.json"));

    private readonly GeneratedFunnel _funnel;

    private readonly ITestOutputHelper _output;

    public ModelQualityTests(GeneratedFunnel funnel, ITestOutputHelper output)
    {
        _funnel = funnel;
        _output = output;
    }

    [Fact]
    public void BalancedModel_RanksConvertersClearlyBetterThanChanceAndThanABadModel()
    {
        var balanced = _funnel.Auc(Balanced, card => card.Points);
        var bad = _funnel.Auc(BadModel, card => card.Points);
        _output.WriteLine($"ROC-AUC of points against converted: balanced {balanced:F3}, bad {bad:F3}");

        balanced.ShouldBeGreaterThan(0.8);
        bad.ShouldBeLessThan(0.55);
        (balanced - bad).ShouldBeGreaterThan(0.25);
    }

    [Fact]
    public void BalancedModel_CompositeScoreStillRanksBetterThanChance()
    {
        // The composite sorts by company size (the segment digit) and must-haves met before points, so it ranks less sharply.
        var composite = _funnel.Auc(Balanced, card => card.Score);
        _output.WriteLine($"ROC-AUC of the composite score against converted: balanced {composite:F3}");

        composite.ShouldBeGreaterThan(0.7);
    }

    [Fact]
    public void TruePropensity_RanksConvertersBetterThanTheModel()
    {
        var truth = RocAuc.Of([.. _funnel.Truth.Values.Select(t => (t.Propensity, t.Converted))]);
        var balanced = _funnel.Auc(Balanced, card => card.Points);
        _output.WriteLine($"ROC-AUC against converted: true propensity {truth:F3}, balanced points {balanced:F3}");

        truth.ShouldBeGreaterThan(balanced);
    }

    /// <summary>2,000 generated contacts with their events and ground truth, shared by the tests.</summary>
    public sealed class GeneratedFunnel : IDisposable
    {
        private readonly TempFiles _files = new();
        private readonly List<ContactRecord> _contacts;
        private readonly Dictionary<string, List<ActivityEvent>> _events;

        public GeneratedFunnel()
        {
            var run = CliRun.Of("generate", "--contacts", "2000", "--seed", "3", "--out", _files.Folder);
            run.ExitCode.ShouldBe(0, run.Error);
            var errors = new List<InputError>();
            _contacts = ContactFile.Read(_files.PathOf("contacts.jsonl"), errors);
            _events = EventFile.Read(_files.PathOf("events.jsonl"), errors)
                .GroupBy(e => e.Contact, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Event).ToList(), StringComparer.Ordinal);
            errors.ShouldBeEmpty();
            Truth = File.ReadLines(_files.PathOf("truth.csv")).Skip(1).Select(line => line.Split(','))
                .ToDictionary(f => f[0], f => (Propensity: double.Parse(f[1], CultureInfo.InvariantCulture), Converted: f[2] == "1"), StringComparer.Ordinal);
        }

        public Dictionary<string, (double Propensity, bool Converted)> Truth { get; }

        /// <summary>The ROC-AUC of a model's scores (as of the end of the period) against who converted.</summary>
        public double Auc(string modelJson, Func<ScoreCard, int> score)
        {
            var validation = ScoringModelJson.Parse(modelJson);
            validation.IsValid.ShouldBeTrue(string.Join("; ", validation.Errors));
            var model = CompiledModel.Compile(validation.Model);
            var asOf = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
            return RocAuc.Of([.. _contacts.Select(c =>
            {
                var card = model.Score(ScoringSubject.ForContact(c.Id, c.Fields, _events.TryGetValue(c.Id, out var own) ? own : []), asOf);
                return ((double)score(card), Truth[c.Id].Converted);
            })]);
        }

        public void Dispose() => _files.Dispose();
    }
}
