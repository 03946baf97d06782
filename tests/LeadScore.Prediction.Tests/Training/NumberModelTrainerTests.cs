using System.Globalization;
using System.Text;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Models;
using LeadScore.Prediction.Training;

namespace LeadScore.Prediction.Tests.Training;

public sealed class NumberModelTrainerTests
{
    [Fact]
    public void Train_AmountDrivenBySeatsAndPlan_BeatsTheMeanBaseline()
    {
        var table = Deals(400, seed: 1, noiseOnly: false);

        var model = NumberModelTrainer.Train(table, new NumberTrainingOptions("amount") { IdColumn = "deal" })
            .ShouldBeOfType<NumberTrainingOutcome.Trained>().Model;

        var metrics = model.Manifest.Metrics;
        metrics.Trainer.ShouldBe(Candidate.LightGbmName);
        metrics.Rows.ShouldBe(380);
        metrics.Validation.ShouldBe("5-fold: validated on 380 rows");
        metrics.RSquared.ShouldBeGreaterThan(0.7);
        metrics.Rmse.ShouldBe(metrics.LightGbm.Rmse);
        metrics.Rmse.ShouldBeLessThan(metrics.MeanBaseline.Rmse / 2);
        metrics.Mae.ShouldBeLessThan(metrics.MeanBaseline.Mae);
        metrics.MeanBaseline.RSquared.ShouldBeInRange(-0.05, 0.0);
    }

    [Fact]
    public void Predict_NewDeals_FollowsTheirSeatsAndNamesTheFactors()
    {
        var model = NumberModelTrainer.Train(Deals(400, seed: 2, noiseOnly: false), new NumberTrainingOptions("amount") { IdColumn = "deal" })
            .ShouldBeOfType<NumberTrainingOutcome.Trained>().Model;
        var table = CsvTable.Parse("deal,seats,plan,colour\nsmall,2,basic,red\nlarge,40,enterprise,red\n").Table!;

        var predictions = model.Predict(table);

        predictions.Select(p => p.Id).ShouldBe(["small", "large"]);
        predictions[1].Value.ShouldBeGreaterThan(predictions[0].Value + 20_000);
        predictions[1].Factors.Select(f => f.ToString()).ShouldContain("plan = enterprise raises");
        predictions[0].Factors.Select(f => f.ToString()).ShouldContain("seats = 2 lowers");
    }

    [Fact]
    public void SaveAndLoad_GiveTheSameValues()
    {
        var table = Deals(200, seed: 3, noiseOnly: false);
        var model = NumberModelTrainer.Train(table, new NumberTrainingOptions("amount")).ShouldBeOfType<NumberTrainingOutcome.Trained>().Model;
        using var stream = new MemoryStream();

        model.Save(stream);
        stream.Position = 0;
        var loaded = NumberModel.Load(stream, "amount.zip").Model!;

        loaded.Manifest.Metrics.ShouldBe(model.Manifest.Metrics);
        loaded.Predict(table).Select(p => p.Value).ShouldBe(model.Predict(table).Select(p => p.Value));
    }

    [Fact]
    public void Train_AmountThatIsNoise_KeepsTheMeanAndStillSavesAndLoads()
    {
        var table = Deals(120, seed: 4, noiseOnly: true);
        var model = NumberModelTrainer.Train(table, new NumberTrainingOptions("amount")).ShouldBeOfType<NumberTrainingOutcome.Trained>().Model;
        using var stream = new MemoryStream();

        model.Save(stream);
        stream.Position = 0;
        var loaded = NumberModel.Load(stream, "amount.zip").Model!;

        model.Manifest.Trainer.ShouldBe(NumberModel.MeanBaselineName);
        model.Manifest.Metrics.Rmse.ShouldBe(model.Manifest.Metrics.MeanBaseline.Rmse);
        var predictions = loaded.Predict(table);
        predictions.ShouldAllBe(p => p.Value == model.Manifest.Mean && p.Factors.Count == 0);
        predictions[0].Id.ShouldBe("1");
    }

    [Fact]
    public void Train_TwentyDealsWithAnAmount_SaysHowManyMoreAreNeeded()
    {
        var table = Deals(24, seed: 5, noiseOnly: false);

        var outcome = NumberModelTrainer.Train(table, new NumberTrainingOptions("amount"));

        var refused = outcome.ShouldBeOfType<NumberTrainingOutcome.Refused>();
        refused.Problem.ShouldBe(TrainingProblem.TooLittleData);
        refused.Message.ShouldBe("Too little data to learn 'amount': needs 7 more rows with a number in it (have 23, need at least 30).");
    }

    [Fact]
    public void Train_UnknownTarget_NamesTheColumnsThatExist()
    {
        var outcome = NumberModelTrainer.Train(Deals(40, seed: 6, noiseOnly: false), new NumberTrainingOptions("days to close"));

        outcome.ShouldBeOfType<NumberTrainingOutcome.Refused>().Message
            .ShouldBe("The file has no column for target 'days to close'. Its columns are: 'deal', 'seats', 'plan', 'colour', 'amount'.");
    }

    // Won amount = 1,000 + 800 per seat + 25,000 for enterprise, with noise; every 20th deal is still open (no amount).
    private static CsvTable Deals(int rows, int seed, bool noiseOnly)
    {
        string[] plans = ["basic", "pro", "enterprise"];
        var random = new Random(seed);
        var csv = new StringBuilder("deal,seats,plan,colour,amount\n");
        for (var i = 0; i < rows; i++)
        {
            var seats = random.Next(1, 50);
            var plan = random.Next(3);
            var amount = noiseOnly ? 20_000 + (random.NextDouble() * 5_000) : 1_000 + (800 * seats) + (plan == 2 ? 25_000 : 0) + (random.NextDouble() * 4_000);
            var cell = i % 20 == 19 ? "" : amount.ToString("0", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"D{i},{seats},{plans[plan]},{(random.Next(2) == 0 ? "red" : "blue")},{cell}\n");
        }

        return CsvTable.Parse(csv.ToString()).Table!;
    }
}
