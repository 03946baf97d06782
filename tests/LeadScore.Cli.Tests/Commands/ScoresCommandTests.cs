namespace LeadScore.Cli.Tests.Commands;

public sealed class ScoresCommandTests
{
    [Fact]
    public void Scores_AfterImportAndPublish_EqualOfflineScoreLinesForTheSameData()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);
        var offline = CliRun.Of("score", "--model", Examples.Model, "--contacts", Examples.Contacts, "--events", Examples.Events,
            "--as-of", Examples.AsOf);

        var stored = CliRun.Of("scores", "--model", "b2b-saas", "--db", files.Database);

        stored.ExitCode.ShouldBe(0, stored.Error);
        offline.OutputLines.Length.ShouldBe(4);
        stored.OutputLines.ShouldBe(offline.OutputLines);
    }

    [Fact]
    public void Scores_CsvFormat_EqualsOfflineCsv()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);
        var offline = CliRun.Of("score", "--model", Examples.Model, "--contacts", Examples.Contacts, "--events", Examples.Events,
            "--as-of", Examples.AsOf, "--format", "csv");

        var stored = CliRun.Of("scores", "--db", files.Database, "--format", "csv");

        stored.ExitCode.ShouldBe(0, stored.Error);
        stored.OutputLines[0].ShouldStartWith("contact,score,points,segment,requirementsMet,qualified,disqualified,disqualifiedBy,grade,thresholds,nextChangeAt,category:target-market");
        stored.OutputLines.ShouldBe(offline.OutputLines);
    }

    [Fact]
    public void Scores_WithoutModelAndOneModelPublished_PrintsThatModel()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("scores", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.Length.ShouldBe(4);
    }

    [Fact]
    public void Scores_UnknownModelKey_ExitsOneNamingThePublishedModels()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("scores", "--model", "b2b-sass", "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldBeEmpty();
        run.Error.ShouldContain("no model 'b2b-sass'");
        run.Error.ShouldContain("published: b2b-saas");
    }

    [Fact]
    public void Scores_NothingPublished_SaysHowToPublish()
    {
        using var files = new TempFiles();
        CliRun.Of("import", "contacts", Examples.Contacts, "--db", files.Database).ExitCode.ShouldBe(0);

        var run = CliRun.Of("scores", "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("leadscore model publish");
    }

    [Fact]
    public void Scores_DatabaseFileMissing_ExitsOneWithoutCreatingIt()
    {
        using var files = new TempFiles();
        var mistyped = files.PathOf("leadsocre.db");

        var run = CliRun.Of("scores", "--db", mistyped);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain($"there is no database at '{mistyped}'");
        File.Exists(mistyped).ShouldBeFalse();
    }

    [Fact]
    public void Scores_OutFile_IsWrittenWhole()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);
        var output = files.PathOf("scores.jsonl");

        var run = CliRun.Of("scores", "--db", files.Database, "--out", output);

        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldBeEmpty();
        File.ReadAllLines(output).Length.ShouldBe(4);
        File.Exists(output + ".partial").ShouldBeFalse();
    }

    [Fact]
    public void Scores_OtherWorkspace_SeesNothingOfTheDefaultOne()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("scores", "--db", files.Database, "--workspace", "acme");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("no model is published in workspace 'acme'");
    }

    [Fact]
    public void Scores_InvalidWorkspaceId_ExitsOne()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("scores", "--db", files.Database, "--workspace", "Acme Corp");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("--workspace 'Acme Corp'");
    }
}
