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
                "validation", "largestCalibrationGap", "calibration"]);
        json.RootElement.GetProperty("rows").GetInt32().ShouldBe(400);
        json.RootElement.GetProperty("validation").GetString().ShouldBe("stratified 3-fold: validated on 400 rows");
        var deciles = json.RootElement.GetProperty("calibration").EnumerateArray().ToList();
        deciles.Count.ShouldBe(10);
        deciles.Sum(d => d.GetProperty("rows").GetInt32()).ShouldBe(400);
        deciles[0].EnumerateObject().Select(p => p.Name).ShouldBe(["decile", "rows", "meanPredicted", "observedRate", "gap"]);
        File.Exists(model).ShouldBeTrue();
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
    private static string Leads(int rows)
    {
        var random = new Random(rows);
        var csv = new StringBuilder("\"lead id\";visits;plan;\"call minutes\";\"won deal\"\n");
        for (var i = 0; i < rows; i++)
        {
            var visits = random.Next(0, 21);
            var plan = random.Next(3);
            var probability = 1 / (1 + Math.Exp(-(-3 + 0.25 * visits + plan)));
            csv.Append(CultureInfo.InvariantCulture, $"L{i};{visits};{(plan == 0 ? "basic" : plan == 1 ? "pro" : "enterprise")};{random.Next(1, 30)};{(random.NextDouble() < probability ? "won" : "lost")}\n");
        }

        return csv.ToString();
    }
}
