namespace LeadScore.Cli.Tests.Commands;

public sealed class PredictiveCommandTests
{
    [Fact]
    public void Train_OnAGeneratedFunnel_SavesVersionOneAndPredictsTheOpenContacts()
    {
        using var files = new TempFiles();
        var data = Path.Combine(Path.GetDirectoryName(files.Database)!, "funnel");
        CliRun.Of("generate", "--contacts", "1500", "--days", "120", "--as-of", Examples.AsOf, "--out", data).ExitCode.ShouldBe(0);
        foreach (var kind in new[] { "companies", "contacts", "deals", "events", "outcomes" })
        {
            var import = CliRun.Of("import", kind, Path.Combine(data, $"{kind}.jsonl"), "--db", files.Database);
            import.ExitCode.ShouldBe(0, import.Error);
        }

        var trained = CliRun.Of("predictive", "train", "--horizon-days", "30", "--db", files.Database);
        var status = CliRun.Of("predictive", "status", "--db", files.Database);

        trained.ExitCode.ShouldBe(0, trained.Error);
        trained.OutputLines[0].ShouldStartWith("version 1: converts within 30 days;");
        trained.OutputLines[^1].ShouldMatch(@"^predicted [\d,]+ open contacts$");
        status.OutputLines.ShouldHaveSingleItem().ShouldStartWith("version 1: converts within 30 days;");
    }

    [Fact]
    public void Train_WithoutOutcomes_ExitsOneAndSaysWhatIsMissing()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("predictive", "train", "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("leadscore: ");
        CliRun.Of("predictive", "status", "--db", files.Database).Output.ShouldContain("no predictive model yet");
    }

    [Fact]
    public void Train_WithAHorizonOutOfRange_IsAUsageError()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("predictive", "train", "--horizon-days", "0", "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("horizonDays 0 is out of range: give 1 to 730 days");
    }
}
