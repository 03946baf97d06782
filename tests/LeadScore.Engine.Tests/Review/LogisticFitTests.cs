using LeadScore.Engine.Review;

namespace LeadScore.Engine.Tests.Review;

public sealed class LogisticFitTests
{
    /// <summary>Leads in four cells of two indicators with known conversion rates, many of each.</summary>
    private static (List<double[]> Rows, List<bool> Labels) Cells(int perCell, double baseRate, double withA, double withB, double withBoth)
    {
        var rows = new List<double[]>();
        var labels = new List<bool>();
        foreach (var (a, b, rate) in new[] { (0.0, 0.0, baseRate), (1.0, 0.0, withA), (0.0, 1.0, withB), (1.0, 1.0, withBoth) })
        {
            var converters = (int)Math.Round(perCell * rate);
            for (var i = 0; i < perCell; i++)
            {
                rows.Add([a, b]);
                labels.Add(i < converters);
            }
        }

        return (rows, labels);
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));

    [Fact]
    public void WithPlentyOfLeads_RecoversTheLogOddsEachIndicatorAdds()
    {
        // Additive in log-odds: base 10 %, A multiplies the odds by 4, B by 1 (no effect).
        var withA = 1 / (1 + Math.Exp(-(Logit(0.1) + Math.Log(4))));
        var (rows, labels) = Cells(20_000, 0.1, withA, 0.1, withA);

        var fit = LogisticFit.Fit(rows, labels, penalty: 0.001);

        fit.Weights[0].ShouldBe(Math.Log(4), 0.02);
        fit.Weights[1].ShouldBe(0, 0.02);
        fit.Intercept.ShouldBe(Logit(0.1), 0.02);
    }

    [Fact]
    public void AnIndicatorOnlyConvertersHave_GetsAFiniteWeight()
    {
        // Perfect separation: without a penalty and step control, Newton's method runs off to infinity.
        var (rows, labels) = Cells(500, 0.05, 1.0, 0.05, 1.0);

        var fit = LogisticFit.Fit(rows, labels);

        double.IsFinite(fit.Weights[0]).ShouldBeTrue();
        fit.Weights[0].ShouldBeGreaterThan(3);
        fit.Weights[0].ShouldBeLessThan(20);
        fit.Probability([1, 0]).ShouldBeGreaterThan(0.95);
    }

    [Fact]
    public void ThePenalty_PullsAWeightTowardsItsPriorWhenTheEvidenceIsThin()
    {
        // 20 leads per cell: A looks twice as good, on little evidence.
        var (rows, labels) = Cells(20, 0.1, 0.2, 0.1, 0.2);

        var towardsZero = LogisticFit.Fit(rows, labels, penalty: 5);
        var towardsTwo = LogisticFit.Fit(rows, labels, penalty: 5, prior: [2.0, 0.0]);

        towardsTwo.Weights[0].ShouldBeGreaterThan(towardsZero.Weights[0] + 0.5);
        towardsTwo.Weights[0].ShouldBeLessThan(2.0);
    }

    [Fact]
    public void RowsAndLabelsOfDifferentLengths_AreRefused()
    {
        Should.Throw<ArgumentException>(() => LogisticFit.Fit([[1.0]], [true, false])).Message.ShouldContain("1 rows but 2 labels");
    }
}
