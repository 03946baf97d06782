using LeadScore.Prediction.Evaluation;

namespace LeadScore.Prediction.Tests.Evaluation;

public sealed class FrequencyNaiveBayesTests
{
    // Seven leads, two fields: three won, four lost.
    private static readonly string?[][] Rows =
    [
        ["web", "fr"], ["web", "de"], ["ad", "fr"],               // won
        ["web", "fr"], ["ad", "fr"], ["ad", "de"], ["ad", "de"],  // lost
    ];

    private static readonly bool[] Won = [true, true, true, false, false, false, false];

    [Fact]
    public void Probability_TwoFields_MultipliesEachValuesSmoothedFrequencyWithThePrior()
    {
        var model = FrequencyNaiveBayes.Fit(Rows, Won);

        var probability = model.Probability(["web", "de"]);

        // By hand, as Odoo counts: web won 2+0.1 of 3.2, lost 1+0.1 of 4.2; de won 1+0.1 of 3.2, lost 2+0.1 of 4.2; prior 3/7 against 4/7.
        var won = 3.0 / 7 * (2.1 / 3.2) * (1.1 / 3.2);
        var lost = 4.0 / 7 * (1.1 / 4.2) * (2.1 / 4.2);
        probability.ShouldBe(won / (won + lost), 1e-12);
        probability.ShouldBe(0.5637, 1e-4);
    }

    [Fact]
    public void Probability_MissingOrUnseenValue_IsSkippedLikeOdooDoes()
    {
        var model = FrequencyNaiveBayes.Fit(Rows, Won);

        var missing = model.Probability(["web", null]);
        var unseen = model.Probability(["web", "it"]);

        var won = 3.0 / 7 * (2.1 / 3.2);
        var lost = 4.0 / 7 * (1.1 / 4.2);
        missing.ShouldBe(won / (won + lost), 1e-12);
        unseen.ShouldBe(missing);
    }

    [Fact]
    public void Probability_ManyFields_DoesNotUnderflowToNaN()
    {
        var rows = Enumerable.Range(0, 40).Select(i => (IReadOnlyList<string?>)Enumerable.Range(0, 400).Select(f => ((i + f) % 7).ToString()).ToArray()).ToArray();
        var won = Enumerable.Range(0, 40).Select(i => i % 3 == 0).ToArray();
        var model = FrequencyNaiveBayes.Fit(rows, won);

        var probability = model.Probability(rows[0]);

        double.IsNaN(probability).ShouldBeFalse();
        probability.ShouldBeInRange(0, 1);
    }
}
