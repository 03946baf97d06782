using System.Text;
using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Evaluation;
using LeadScore.Prediction.Models;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Training;

namespace LeadScore.Prediction.Tests.Training;

public sealed class LeadModelTrainerTests(TrainedOnGeneratedLeads trained) : IClassFixture<TrainedOnGeneratedLeads>
{
    [Fact]
    public void Train_KnownSignal_CrossValidatedAucIsCloseToTheGeneratingModels()
    {
        var trueAuc = BinaryMetrics.Auc(trained.TrueProbabilities, trained.Converted);

        var metrics = trained.Model.Manifest.Metrics;

        metrics.Auc.ShouldBeGreaterThan(0.7);
        metrics.Auc.ShouldBe(trueAuc, 0.04);
        metrics.Rows.ShouldBe(2000);
        metrics.Positives.ShouldBe(trained.Converted.Count(c => c));
        metrics.Trainer.ShouldBeOneOf(Candidate.LightGbmName, Candidate.FastTreeName, Candidate.LogisticRegressionName);
        trained.Trained.CandidateAucs.Keys.ShouldBe([Candidate.LightGbmName, Candidate.FastTreeName, Candidate.LogisticRegressionName]);
    }

    [Fact]
    public void Train_KnownSignal_IsCalibrated()
    {
        var metrics = trained.Model.Manifest.Metrics;

        metrics.Ece.ShouldBeLessThan(0.05);
        metrics.LogLoss.ShouldBeLessThan(0.693);
        metrics.Brier.ShouldBeLessThan(0.25);
        metrics.LiftTop10.ShouldBeGreaterThan(1);
        metrics.PrAuc.ShouldBeGreaterThan(metrics.Positives / (double)metrics.Rows);
    }

    [Fact]
    public void Train_KnownSignal_HeldOutDecilesAreWithinFivePointsOfTheirObservedRates()
    {
        var metrics = trained.Model.Manifest.Metrics;

        metrics.Validation.ShouldBe("stratified 5-fold: validated on 2,000 rows");
        metrics.Calibration.Count.ShouldBe(10);
        metrics.Calibration.Sum(d => d.Rows).ShouldBe(2000);
        metrics.Calibration.Select(d => d.MeanPredicted).ShouldBeInOrder();
        metrics.LargestCalibrationGap.ShouldBe(metrics.Calibration.Max(d => Math.Abs(d.Gap)));
        metrics.LargestCalibrationGap.ShouldBeLessThan(0.05);
    }

    [Fact]
    public void Train_GeneratedColumns_AreInferredWithTheirRoles()
    {
        var columns = trained.Model.Manifest.Columns.ToDictionary(c => c.Name);

        columns["lead id"].Role.ShouldBe(ColumnRole.Id);
        columns["converted"].Role.ShouldBe(ColumnRole.Label);
        columns["visits"].Kind.ShouldBe(ColumnKind.Numeric);
        columns["plan"].Kind.ShouldBe(ColumnKind.Categorical);
        columns["age"].HasMissing.ShouldBeTrue();
        columns["newsletter"].Kind.ShouldBe(ColumnKind.Boolean);
        columns["signed up"].Kind.ShouldBe(ColumnKind.Date);
        columns["email"].Kind.ShouldBe(ColumnKind.HighCardinalityText);
        columns["email"].Role.ShouldBe(ColumnRole.Ignored);
    }

    [Fact]
    public void Predict_NewRows_OrdersThemAsTheTrueProbabilitiesDo()
    {
        var (csv, truth, _) = Some.Leads(500, seed: 99);

        var predictions = trained.Model.Predict(CsvTable.Parse(csv).Table!);

        predictions.Count.ShouldBe(500);
        predictions[0].Id.ShouldBe("L00000");
        Some.SpearmanCorrelation(predictions.Select(p => p.Probability).ToArray(), truth).ShouldBeGreaterThan(0.8);
        predictions.ShouldAllBe(p => p.Probability >= 0 && p.Probability <= 1 && p.Factors.Count <= 3);
        predictions.Select(p => p.Tier).Distinct().Count().ShouldBe(4);
    }

    [Fact]
    public void Predict_Factors_NameTheColumnValueAndDirection()
    {
        var table = CsvTable.Parse("visits,plan,age,newsletter,signed up,colour\n20,enterprise,40,yes,2025-06-01,red\n0,basic,40,yes,2025-06-01,red\n").Table!;

        var predictions = trained.Model.Predict(table);

        predictions[0].Id.ShouldBe("1");
        predictions[0].Probability.ShouldBeGreaterThan(predictions[1].Probability);
        predictions[0].Factors.Select(f => f.ToString()).ShouldContain("visits = 20 raises");
        predictions[0].Factors.Select(f => f.ToString()).ShouldContain("plan = enterprise raises");
        predictions[1].Factors.Select(f => f.ToString()).ShouldContain("plan = basic lowers");
    }

    [Fact]
    public void SaveAndLoad_GiveTheSameProbabilities()
    {
        var (csv, _, _) = Some.Leads(200, seed: 5);
        var table = CsvTable.Parse(csv).Table!;
        using var stream = new MemoryStream();

        trained.Model.Save(stream);
        stream.Position = 0;
        var loaded = LeadModel.Load(stream, "model.zip").Model!;

        loaded.Manifest.Metrics.ShouldBe(trained.Model.Manifest.Metrics);
        loaded.Predict(table).Select(p => p.Probability).ShouldBe(trained.Model.Predict(table).Select(p => p.Probability));
    }

    [Fact]
    public void Train_FiftyRows_SaysHowManyMoreAreNeeded()
    {
        var (csv, _, _) = Some.Leads(50, seed: 3);

        var outcome = LeadModelTrainer.Train(CsvTable.Parse(csv).Table!, new TrainingOptions("converted"));

        var refused = outcome.ShouldBeOfType<TrainingOutcome.Refused>();
        refused.Problem.ShouldBe(TrainingProblem.TooLittleData);
        refused.Message.ShouldContain("50 more labelled rows (have 50, need at least 100)");
    }

    [Fact]
    public void Train_FewPositives_SaysHowManyMorePositivesAreNeeded()
    {
        var csv = new StringBuilder("x,won\n");
        for (var i = 0; i < 150; i++)
        {
            csv.AppendLine($"{i},{(i < 12 ? "won" : "lost")}");
        }

        csv.AppendLine("7,");

        var outcome = LeadModelTrainer.Train(CsvTable.Parse(csv.ToString()).Table!, new TrainingOptions("won"));

        var refused = outcome.ShouldBeOfType<TrainingOutcome.Refused>();
        refused.Message.ShouldContain("8 more positive rows (have 12, need at least 20)");
        refused.Message.ShouldNotContain("labelled rows");
    }

    [Fact]
    public void Train_UnknownColumns_NamesThoseThatExist()
    {
        var table = CsvTable.Parse("a,b\n1,yes\n").Table!;

        var outcome = LeadModelTrainer.Train(table, new TrainingOptions("y") { Exclude = ["b", "zz"] });

        var refused = outcome.ShouldBeOfType<TrainingOutcome.Refused>();
        refused.Problem.ShouldBe(TrainingProblem.UnknownColumn);
        refused.Message.ShouldBe("The file has no column for --label 'y', --exclude 'zz'. Its columns are: 'a', 'b'.");
    }
}
