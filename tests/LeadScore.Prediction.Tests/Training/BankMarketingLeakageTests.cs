using LeadScore.Prediction.Csv;
using LeadScore.Prediction.Evaluation;
using LeadScore.Prediction.Schema;
using LeadScore.Prediction.Training;

namespace LeadScore.Prediction.Tests.Training;

/// <summary>
/// The bank marketing calls (Moro et al. 2014, 41,188 rows), where <c>duration</c>, the length of the call,
/// is known only once the call is over: the leakage check must flag it, and leaving it out must still rank
/// at least as well as scikit-learn's HistGradientBoosting on the same folds (0.8028, docs/prediction.md).
/// </summary>
public sealed class BankMarketingLeakageTests(BankMarketingWithoutLeaks bank) : IClassFixture<BankMarketingWithoutLeaks>
{
    [Fact]
    public void Train_BankMarketing_FlagsDurationAsRankingBetterAloneThanEveryOtherColumnTogether()
    {
        var leakage = bank.Trained.Model.Manifest.Leakage;

        var duration = leakage.Flagged.ShouldHaveSingleItem();
        duration.Column.ShouldBe("duration");
        duration.SingleFeatureAuc.ShouldBe(0.818, 0.001);
        duration.OthersAuc.ShouldBeInRange(0.795, 0.812);
        duration.Leaks.ShouldBeTrue();
        leakage.Tested.ShouldBe(duration);
    }

    [Fact]
    public void Train_ExcludeLeaky_LeavesDurationOutAndKeepsTheAucOfTheHonestModel()
    {
        var manifest = bank.Trained.Model.Manifest;

        manifest.Leakage.LeftOut.ShouldBeTrue();
        manifest.Columns.Single(c => c.Name == "duration").Role.ShouldBe(ColumnRole.Excluded);
        manifest.FeatureNames.ShouldNotContain("duration");
        manifest.Metrics.Auc.ShouldBeGreaterThanOrEqualTo(0.8028);
    }

    [Fact]
    public void Train_BankMarketing_ReportsOdoosNaiveBayesBelowTheModelOnTheSameRows()
    {
        var metrics = bank.Trained.Model.Manifest.Metrics;

        var naiveBayes = metrics.Baselines.ShouldHaveSingleItem();
        naiveBayes.Name.ShouldBe(BaselineMetrics.NaiveBayesName);
        naiveBayes.Calibration.Sum(d => d.Rows).ShouldBe(41188);
        naiveBayes.Auc.ShouldBeInRange(0.7, metrics.Auc);
        naiveBayes.Brier.ShouldBeGreaterThan(metrics.Brier);
        metrics.ShuffledAuc.ShouldBeNull();
    }
}

/// <summary>One training of the bank file with leaky columns left out, shared by the tests that read it.</summary>
public sealed class BankMarketingWithoutLeaks
{
    public BankMarketingWithoutLeaks()
    {
        var table = CsvTable.ReadFile(BankFile()).Table.ShouldNotBeNull();
        var outcome = LeadModelTrainer.Train(table, new TrainingOptions("y") { PositiveValues = ["yes"], ExcludeLeaky = true });
        Trained = outcome.ShouldBeOfType<TrainingOutcome.Trained>();
    }

    public TrainingOutcome.Trained Trained { get; }

    /// <summary>The shared data sets sit beside the repository (../shared/data), as docs/prediction.md runs them.</summary>
    private static string BankFile()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "global.json")))
        {
            directory = directory.Parent;
        }

        var file = Path.Combine(directory?.Parent?.FullName ?? "/", "shared", "data", "bank-marketing", "bank-additional-full.csv");
        return File.Exists(file) ? file : "/work/shared/data/bank-marketing/bank-additional-full.csv";
    }
}
