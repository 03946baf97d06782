using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeadScore.Cli.Tests.Commands;

public sealed class TrainCommandTests
{
    [Fact]
    public void Train_JsonFormat_PrintsExactlyTheDocumentedKeys()
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(400));
        var model = files.PathOf("model.zip");

        var run = CliRun.Of("train", "--csv", csv, "--label", "won deal", "--positive", "Won", "--id", "lead id", "--exclude", "call minutes",
            "--folds", "3", "--out", model, "--format", "json");

        run.ExitCode.ShouldBe(0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.EnumerateObject().Select(p => p.Name)
            .ShouldBe(["auc", "prAuc", "logLoss", "brier", "ece", "liftTop10", "rows", "positives", "trainer", "seconds",
                "validation", "largestCalibrationGap", "calibration", "baselines", "rulesBaseline", "leakage"]);
        json.RootElement.GetProperty("rows").GetInt32().ShouldBe(400);
        json.RootElement.GetProperty("validation").GetString().ShouldBe("stratified 3-fold: validated on 400 rows");
        var deciles = json.RootElement.GetProperty("calibration").EnumerateArray().ToList();
        deciles.Count.ShouldBe(10);
        deciles.Sum(d => d.GetProperty("rows").GetInt32()).ShouldBe(400);
        deciles[0].EnumerateObject().Select(p => p.Name).ShouldBe(["decile", "rows", "meanPredicted", "observedRate", "gap"]);
        File.Exists(model).ShouldBeTrue();
    }

    [Fact]
    public void Train_LeakyColumn_IsKeptButNamedWithItsSingleFeatureAucAndWarned()
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(600, withLeak: true));

        var text = CliRun.Of("train", "--csv", csv, "--label", "won deal", "--positive", "won", "--id", "lead id", "--exclude", "call minutes",
            "--folds", "3", "--out", files.PathOf("model.zip"));
        var json = CliRun.Of("train", "--csv", csv, "--label", "won deal", "--positive", "won", "--id", "lead id", "--exclude", "call minutes",
            "--folds", "3", "--out", files.PathOf("model.zip"), "--format", "json");

        text.ExitCode.ShouldBe(0, text.Error);
        text.Error.ShouldContain("leadscore: warning: 'follow-up calls' alone ranks the outcome at AUC 0.");
        text.Output.ShouldMatch(@"leakage      follow-up calls alone 0\.\d{3}, all the others together 0\.\d{3}: LEAKY, kept \(--exclude-leaky leaves it out\)");
        text.Output.ShouldContain("naive Bayes");
        text.Output.ShouldContain("rules' points: none: a CSV comes without a published rules model to compare with");
        using var report = JsonDocument.Parse(json.Output);
        var leakage = report.RootElement.GetProperty("leakage");
        var flagged = leakage.GetProperty("flagged").EnumerateArray().ShouldHaveSingleItem();
        flagged.GetProperty("column").GetString().ShouldBe("follow-up calls");
        flagged.GetProperty("singleFeatureAuc").GetDouble().ShouldBeGreaterThan(flagged.GetProperty("othersAuc").GetDouble());
        leakage.GetProperty("leftOut").GetBoolean().ShouldBeFalse();
        report.RootElement.GetProperty("baselines").EnumerateArray().Select(b => b.GetProperty("name").GetString()).ShouldBe(["NaiveBayes"]);
    }

    [Fact]
    public void Train_ExcludeLeaky_LeavesTheFlaggedColumnOutOfTheModel()
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(600, withLeak: true));
        var model = files.PathOf("model.zip");
        var predictions = files.PathOf("predictions.csv");

        var run = CliRun.Of("train", "--csv", csv, "--label", "won deal", "--positive", "won", "--id", "lead id", "--exclude", "call minutes",
            "--folds", "3", "--out", model, "--exclude-leaky", "--format", "json");
        CliRun.Of("predict", "--model", model, "--csv", csv, "--out", predictions).ExitCode.ShouldBe(0);

        run.ExitCode.ShouldBe(0, run.Error);
        run.Error.ShouldContain("leadscore: left out 'follow-up calls'");
        using var report = JsonDocument.Parse(run.Output);
        report.RootElement.GetProperty("leakage").GetProperty("leftOut").GetBoolean().ShouldBeTrue();
        File.ReadAllText(predictions).ShouldNotContain("follow-up calls");
    }

    [Fact]
    public void TrainThenPredict_WritesIdProbabilityTierAndFactors()
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(400));
        var model = files.PathOf("model.zip");
        var predictions = files.PathOf("predictions.csv");
        CliRun.Of("train", "--csv", csv, "--label", "won deal", "--positive", "won", "--id", "lead id", "--folds", "3", "--out", model)
            .ExitCode.ShouldBe(0);

        var run = CliRun.Of("predict", "--model", model, "--csv", csv, "--out", predictions);

        run.ExitCode.ShouldBe(0, run.Error);
        var lines = File.ReadAllLines(predictions);
        lines[0].ShouldBe("id,probability,tier,factors");
        lines.Length.ShouldBe(401);
        var first = lines[1].Split(',', 4);
        first[0].ShouldBe("L0");
        int.Parse(first[1], CultureInfo.InvariantCulture).ShouldBeInRange(0, 100);
        first[2].ShouldBeOneOf("very high", "high", "medium", "low");
        lines.Skip(1).ShouldContain(line => System.Text.RegularExpressions.Regex.IsMatch(line, @" raises \(\+\d+(\.\d)? pts\)"), "each factor says its size in points");
    }

    [Fact]
    public void Train_TooLittleData_ExitsOneSayingHowManyMore()
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(60));

        var run = CliRun.Of("train", "--csv", csv, "--label", "won deal", "--positive", "won", "--out", files.PathOf("model.zip"));

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("40 more labelled rows");
    }

    [Fact]
    public void Train_UnknownLabelOrExcludedColumn_ExitsOneNamingTheColumns()
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(150));

        var run = CliRun.Of("train", "--csv", csv, "--label", "converted", "--exclude", "duration", "--out", files.PathOf("model.zip"));

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("--label 'converted', --exclude 'duration'");
        run.Error.ShouldContain("'lead id', 'visits', 'plan', 'call minutes', 'won deal'");
    }

    [Fact]
    public void Train_TimeColumn_ValidatesOnNewerRowsAndSaysSo()
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(400, withSnapshots: true));

        var run = CliRun.Of("train", "--csv", csv, "--label", "won deal", "--positive", "won", "--time-column", "snapshot at", "--folds", "4",
            "--out", files.PathOf("model.zip"), "--format", "json");

        run.ExitCode.ShouldBe(0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("validation").GetString().ShouldBe("time-ordered: 4 blocks, validated on 300 rows from 2026-03-08");
    }

    [Fact]
    public void Train_TimeColumnWithOneTime_ExitsOneSayingWhy()
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(200, withSnapshots: true).Replace("2026-03-08", "2026-03-01").Replace("2026-03-15", "2026-03-01")
            .Replace("2026-03-22", "2026-03-01"));

        var run = CliRun.Of("train", "--csv", csv, "--label", "won deal", "--positive", "won", "--time-column", "snapshot at", "--out", files.PathOf("model.zip"));

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("needs at least 2 time blocks holding both classes");
    }

    [Theory]
    [InlineData("0.5,0.75", "three increasing values between 0 and 1")]
    [InlineData("0.9,0.75,0.5", "three increasing values between 0 and 1")]
    [InlineData("high,higher,highest", "--tiers takes three comma-separated numbers")]
    public void Train_InvalidTiers_ExitsOneSayingWhatIsExpected(string tiers, string expected)
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(150));

        var run = CliRun.Of("train", "--csv", csv, "--label", "won deal", "--positive", "won", "--tiers", tiers, "--out", files.PathOf("model.zip"));

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain(expected);
    }

    [Fact]
    public void Train_FoldsOut_WritesEachRowsFold()
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(300));
        var folds = files.PathOf("folds.csv");

        var run = CliRun.Of("train", "--csv", csv, "--label", "won deal", "--positive", "won", "--folds", "3", "--folds-out", folds,
            "--tiers", "0.5,0.75,0.9", "--out", files.PathOf("model.zip"));

        run.ExitCode.ShouldBe(0, run.Error);
        var lines = File.ReadAllLines(folds);
        lines[0].ShouldBe("row,fold");
        lines.Skip(1).Select(l => l.Split(',')[1]).GroupBy(f => f).Select(g => g.Key).Order().ShouldBe(["0", "1", "2"]);
        lines.Skip(1).Select(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ShouldBe(Enumerable.Range(1, 300));
    }

    [Fact]
    public void Predict_MissingModel_ExitsOne()
    {
        using var files = new TempFiles();
        var csv = files.Write("leads.csv", Leads(5));

        var run = CliRun.Of("predict", "--model", files.PathOf("none.zip"), "--csv", csv);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("does not exist");
    }

    [Fact]
    public void Help_OfTrainAndPredict_PrintsTheirExamples()
    {
        CliRun.Of("train", "--help").Output.ShouldContain("Example: leadscore train --csv");
        CliRun.Of("predict", "--help").Output.ShouldContain("Example: leadscore predict --model");
    }

    // Semicolon-separated with quoted names, as spreadsheet exports in much of Europe are.
    // withLeak adds "follow-up calls", which sales log after a deal is won: it records the outcome rather than predicting it.
    private static string Leads(int rows, bool withSnapshots = false, bool withLeak = false)
    {
        var random = new Random(rows);
        var csv = new StringBuilder("\"lead id\";visits;plan;\"call minutes\";\"won deal\"" + (withSnapshots ? ";\"snapshot at\"" : "")
            + (withLeak ? ";\"follow-up calls\"\n" : "\n"));
        for (var i = 0; i < rows; i++)
        {
            var visits = random.Next(0, 21);
            var plan = random.Next(3);
            var probability = 1 / (1 + Math.Exp(-(-3 + 0.25 * visits + plan)));
            var callMinutes = random.Next(1, 30);
            var won = random.NextDouble() < probability;
            csv.Append(CultureInfo.InvariantCulture, $"L{i};{visits};{(plan == 0 ? "basic" : plan == 1 ? "pro" : "enterprise")};{callMinutes};{(won ? "won" : "lost")}");
            if (withSnapshots)
            {
                csv.Append(CultureInfo.InvariantCulture, $";2026-03-{1 + (7 * (i % 4)):00}");
            }

            if (withLeak)
            {
                csv.Append(CultureInfo.InvariantCulture, $";{(won ? random.Next(1, 6) : random.NextDouble() < 0.1 ? 1 : 0)}");
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }
}
