using System.Text;
using LeadScore.Engine.Review;
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
        var trueAuc = RocAuc.Of(trained.TrueProbabilities, trained.Converted);

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

    [Fact]
    public void Train_TimeColumn_ValidatesOnNewerSnapshotsAndNeverUsesTheTime()
    {
        var table = Snapshots(weeks: 8, perWeek: 100, seed: 12);

        var outcome = LeadModelTrainer.Train(table, new TrainingOptions("converted") { TimeColumn = "snapshotAt", IdColumn = "lead id", Folds = 4 });

        var trained = outcome.ShouldBeOfType<TrainingOutcome.Trained>();
        var manifest = trained.Model.Manifest;
        manifest.Metrics.Validation.ShouldBe("time-ordered: 4 blocks, validated on 600 rows from 2026-03-15");
        manifest.Metrics.Calibration.Sum(d => d.Rows).ShouldBe(600);
        manifest.Metrics.Rows.ShouldBe(800);
        manifest.Columns.Single(c => c.Name == "snapshotAt").Role.ShouldBe(ColumnRole.Time);
        manifest.FeatureNames.ShouldNotContain(f => f.StartsWith("snapshotAt", StringComparison.Ordinal));
        var firstWeek = Enumerable.Range(0, 800).Where(i => table.Rows[i][1] is "2026-03-01" or "2026-03-08");
        firstWeek.ShouldAllBe(i => trained.SplitOfRow[i] == null);
        trained.SplitOfRow.Count(s => s != null).ShouldBe(600);
    }

    [Fact]
    public void Train_TimeColumn_ReportsShuffledFoldsOnlyAsASecondaryFigure()
    {
        var table = Snapshots(weeks: 8, perWeek: 100, seed: 12);

        var outcome = LeadModelTrainer.Train(table, new TrainingOptions("converted") { TimeColumn = "snapshotAt", IdColumn = "lead id", Folds = 4 });

        var metrics = outcome.ShouldBeOfType<TrainingOutcome.Trained>().Model.Manifest.Metrics;
        metrics.Validation.ShouldStartWith("time-ordered");
        metrics.ShuffledAuc.ShouldNotBeNull().ShouldBeInRange(0.5, 1);
    }

    [Fact]
    public void Train_KnownSignal_JudgesNaiveBayesOnTheSameValidatedRows()
    {
        var metrics = trained.Model.Manifest.Metrics;

        var naiveBayes = metrics.Baselines.ShouldHaveSingleItem();
        naiveBayes.Name.ShouldBe(BaselineMetrics.NaiveBayesName);
        naiveBayes.Calibration.Sum(d => d.Rows).ShouldBe(2000);
        naiveBayes.Auc.ShouldBeGreaterThan(0.7);
        metrics.ShuffledAuc.ShouldBeNull();
    }

    [Fact]
    public void Train_ScoreBaseline_IsCalibratedAndJudgedBesideTheModel()
    {
        var (csv, _, _) = Some.Leads(600, seed: 5);
        var table = CsvTable.Parse(csv).Table!;

        var outcome = LeadModelTrainer.Train(table, new TrainingOptions("converted") { IdColumn = "lead id", ScoreBaselines = ["visits"] });

        var baselines = outcome.ShouldBeOfType<TrainingOutcome.Trained>().Model.Manifest.Metrics.Baselines;
        baselines.Select(b => b.Name).ShouldBe([BaselineMetrics.NaiveBayesName, "visits"]);
        var visits = baselines[1];
        visits.Auc.ShouldBeGreaterThan(0.6);
        visits.Calibration.Sum(d => d.Rows).ShouldBe(600);
        visits.Calibration.ShouldAllBe(d => d.MeanPredicted >= 0 && d.MeanPredicted <= 1);
    }

    [Fact]
    public void Train_PlantedLeak_IsFlaggedAndKeptUnlessAskedToLeaveItOut()
    {
        var table = WithLeak(Some.Leads(800, seed: 3));

        var kept = LeadModelTrainer.Train(table, new TrainingOptions("converted") { IdColumn = "lead id" });
        var leftOut = LeadModelTrainer.Train(table, new TrainingOptions("converted") { IdColumn = "lead id", ExcludeLeaky = true });

        var keptManifest = kept.ShouldBeOfType<TrainingOutcome.Trained>().Model.Manifest;
        keptManifest.Leakage.Flagged.ShouldHaveSingleItem().Column.ShouldBe("follow-up calls");
        keptManifest.Leakage.LeftOut.ShouldBeFalse();
        keptManifest.FeatureNames.ShouldContain("follow-up calls");
        var leftOutManifest = leftOut.ShouldBeOfType<TrainingOutcome.Trained>().Model.Manifest;
        leftOutManifest.Leakage.LeftOut.ShouldBeTrue();
        leftOutManifest.FeatureNames.ShouldNotContain("follow-up calls");
        leftOutManifest.Metrics.Auc.ShouldBeLessThan(keptManifest.Metrics.Auc);
    }

    // A column sales fill in after the outcome: converters got follow-up calls, the others almost never.
    private static CsvTable WithLeak((string Csv, double[] Truth, bool[] Converted) leads)
    {
        var random = new Random(9);
        var lines = leads.Csv.TrimEnd('\n').Split('\n');
        var withLeak = lines.Select((line, i) => i == 0 ? line + ",follow-up calls"
            : line + "," + (leads.Converted[i - 1] ? random.Next(1, 6) : random.NextDouble() < 0.1 ? 1 : 0).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return CsvTable.Parse(string.Join('\n', withLeak)).Table!;
    }

    [Fact]
    public void Train_TimeColumnWithTwoBlocks_SaysItsCalibrationFiguresAreInSample()
    {
        var table = Snapshots(weeks: 4, perWeek: 100, seed: 16);

        var outcome = LeadModelTrainer.Train(table, new TrainingOptions("converted") { TimeColumn = "snapshotAt", Folds = 2 });

        var metrics = outcome.ShouldBeOfType<TrainingOutcome.Trained>().Model.Manifest.Metrics;
        metrics.Validation.ShouldBe("time-ordered: 2 blocks, validated on 200 rows from 2026-03-15 (one predicted block: calibration judged in-sample)");
        metrics.Auc.ShouldBeGreaterThan(0.7);
        metrics.Calibration.Sum(d => d.Rows).ShouldBe(200);
    }

    [Fact]
    public void Train_TimeColumnWithAMissingTime_IsRefusedNamingTheRow()
    {
        var table = Snapshots(weeks: 4, perWeek: 50, seed: 13);
        table.Rows[6][1] = null;

        var outcome = LeadModelTrainer.Train(table, new TrainingOptions("converted") { TimeColumn = "snapshotAt" });

        var refused = outcome.ShouldBeOfType<TrainingOutcome.Refused>();
        refused.Problem.ShouldBe(TrainingProblem.CannotValidate);
        refused.Message.ShouldContain("1 have none or another format (first: data row 7");
    }

    [Fact]
    public void Train_TierQuantiles_PutTheTopTenPercentInVeryHigh()
    {
        var (csv, _, _) = Some.Leads(600, seed: 14);
        var table = CsvTable.Parse(csv).Table!;

        var quartiles = LeadModelTrainer.Train(table, new TrainingOptions("converted")).ShouldBeOfType<TrainingOutcome.Trained>();
        var topTen = LeadModelTrainer.Train(table, new TrainingOptions("converted") { TierQuantiles = [0.5, 0.75, 0.9] })
            .ShouldBeOfType<TrainingOutcome.Trained>();

        topTen.Model.Manifest.Tiers.Medium.ShouldBe(quartiles.Model.Manifest.Tiers.High);
        topTen.Model.Manifest.Tiers.High.ShouldBe(quartiles.Model.Manifest.Tiers.VeryHigh);
        topTen.Model.Manifest.Tiers.VeryHigh.ShouldBeGreaterThan(quartiles.Model.Manifest.Tiers.VeryHigh);
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.25, 0.75 })]
    [InlineData(new[] { 0.0, 0.5, 0.75 })]
    [InlineData(new[] { 0.25, 0.5, 1.0 })]
    [InlineData(new[] { 0.25, 0.5 })]
    public void Train_InvalidTierQuantiles_AreRefused(double[] quantiles)
    {
        var (csv, _, _) = Some.Leads(200, seed: 15);

        var outcome = LeadModelTrainer.Train(CsvTable.Parse(csv).Table!, new TrainingOptions("converted") { TierQuantiles = quantiles });

        var refused = outcome.ShouldBeOfType<TrainingOutcome.Refused>();
        refused.Problem.ShouldBe(TrainingProblem.InvalidOptions);
        refused.Message.ShouldStartWith("--tiers needs three increasing values between 0 and 1 (exclusive)");
    }

    // Weekly as-of snapshots from 2026-03-01, the signal of Some.Leads, rows of the weeks interleaved.
    private static CsvTable Snapshots(int weeks, int perWeek, int seed)
    {
        var (csv, _, _) = Some.Leads(weeks * perWeek, seed);
        var leads = CsvTable.Parse(csv).Table!;
        var columns = leads.Columns.Take(1).Append("snapshotAt").Concat(leads.Columns.Skip(1)).ToArray();
        var rows = leads.Rows.Select((row, i) =>
            row.Take(1).Append(new DateOnly(2026, 3, 1).AddDays(7 * (i % weeks)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
                .Concat(row.Skip(1)).ToArray()).ToArray();
        return CsvTable.FromCells(columns, rows);
    }
}
