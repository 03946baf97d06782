using System.Globalization;
using System.Text;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Training;

namespace LeadScore.Prediction.Tests.Training;

public sealed class CrossValidationTests
{
    [Fact]
    public void Train_InteractionOnlyTreesCanLearn_StopsTheLogisticRegressionAfterTwoFolds()
    {
        var table = CsvTable.Parse(Checkerboard(1500, seed: 4)).Table!;

        var trained = LeadModelTrainer.Train(table, new TrainingOptions("converted")).ShouldBeOfType<TrainingOutcome.Trained>();

        trained.StoppedEarly.ShouldBe([Candidate.LogisticRegressionName]);
        trained.CandidateAucs.Keys.ShouldBe([Candidate.LightGbmName, Candidate.FastTreeName, Candidate.LogisticRegressionName]);
        trained.CandidateAucs[Candidate.LogisticRegressionName].ShouldBeLessThan(0.65);
        trained.Model.Manifest.Metrics.Trainer.ShouldNotBe(Candidate.LogisticRegressionName);
        trained.Model.Manifest.Metrics.Auc.ShouldBeGreaterThan(0.8);
    }

    [Fact]
    public void Train_SameFileTwice_GivesTheSameFiguresAlthoughFitsRunInParallel()
    {
        var (csv, _, _) = Some.Leads(600, seed: 21);
        var table = CsvTable.Parse(csv).Table!;

        var first = LeadModelTrainer.Train(table, new TrainingOptions("converted")).ShouldBeOfType<TrainingOutcome.Trained>();
        var second = LeadModelTrainer.Train(table, new TrainingOptions("converted")).ShouldBeOfType<TrainingOutcome.Trained>();

        second.CandidateAucs.ShouldBe(first.CandidateAucs);
        second.Model.Manifest.Metrics.Auc.ShouldBe(first.Model.Manifest.Metrics.Auc);
        second.Model.Manifest.Calibrator.Probabilities.ShouldBe(first.Model.Manifest.Calibrator.Probabilities);
    }

    // Converted on two diagonal quadrants: a tree splits it in two steps, a linear model cannot rank it at all.
    private static string Checkerboard(int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("x,y,converted\n");
        for (var i = 0; i < rows; i++)
        {
            var x = random.NextDouble();
            var y = random.NextDouble();
            var diagonal = (x > 0.5) == (y > 0.5);
            var converted = random.NextDouble() < (diagonal ? 0.85 : 0.15);
            csv.Append(CultureInfo.InvariantCulture, $"{x:0.0000},{y:0.0000},{(converted ? "yes" : "no")}\n");
        }

        return csv.ToString();
    }
}
