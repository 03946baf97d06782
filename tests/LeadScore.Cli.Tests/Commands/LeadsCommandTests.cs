namespace LeadScore.Cli.Tests.Commands;

public sealed class LeadsCommandTests
{
    [Fact]
    public void Leads_AfterImportAndPublish_ListsContactsHighestScoreFirstWithNameTitleAndGrade()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("leads", "--db", files.Database, "--top", "3");

        run.ExitCode.ShouldBe(0, run.Error);
        var rows = run.OutputLines.Where(l => l.StartsWith("│ ", StringComparison.Ordinal) && !l.Contains("│ # ", StringComparison.Ordinal)).ToArray();
        rows.Length.ShouldBe(3);
        var scores = rows.Select(r => int.Parse(r.Split('│', StringSplitOptions.TrimEntries)[5], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        scores.ShouldBe(scores.OrderDescending().ToArray());
        run.Output.ShouldContain("VP Marketing");
        run.Output.ShouldContain("mql");
    }

    [Fact]
    public void Leads_ThresholdFilter_ShowsOnlyLeadsThatReachedIt()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("leads", "--db", files.Database, "--threshold", "mql");

        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain("c1");
        run.Output.ShouldNotContain("c3");
    }

    [Fact]
    public void Leads_TopOutOfRange_ExitsOneSayingTheRange()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("leads", "--db", files.Database, "--top", "0");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("between 1 and 1,000");
    }

    [Fact]
    public void ExportScores_WritesTheCsvThatScoresPrints()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);
        var file = files.PathOf("scores.csv");
        var printed = CliRun.Of("scores", "--db", files.Database, "--format", "csv");

        var run = CliRun.Of("export", "scores", "--db", files.Database, "--model", "b2b-saas", "--out", file);

        run.ExitCode.ShouldBe(0, run.Error);
        File.ReadAllLines(file).ShouldBe(printed.OutputLines);
    }

    [Fact]
    public void ExportScores_IdsAWorksheetWouldRunAsFormulas_AreWrittenAsText()
    {
        using var files = new TempFiles();
        var contacts = files.Write("contacts.jsonl", """
            {"id": "=HYPERLINK(\"http://x\",\"y\")", "email": "a@example.com", "jobTitle": "VP Marketing"}
            {"id": "+cmd|' /C calc'!A0", "email": "b@example.com", "jobTitle": "VP Marketing"}
            {"id": "-12", "email": "c@example.com", "jobTitle": "VP Marketing"}
            """);
        CliRun.Of("import", "contacts", contacts, "--db", files.Database).ExitCode.ShouldBe(0);
        CliRun.Of("model", "publish", Examples.Model, "--db", files.Database).ExitCode.ShouldBe(0);
        var file = files.PathOf("scores.csv");

        var export = CliRun.Of("export", "scores", "--db", files.Database, "--model", "b2b-saas", "--out", file);
        var printed = CliRun.Of("scores", "--db", files.Database, "--model", "b2b-saas", "--format", "csv");

        export.ExitCode.ShouldBe(0, export.Error);
        using var reader = new StringReader(File.ReadAllText(file));
        var csv = new Input.CsvRecords(reader);
        csv.Read().ShouldNotBeNull()[0].ShouldBe("contact");
        var ids = new List<string>();
        while (csv.Read() is { } record)
        {
            ids.Add(record[0]);
        }

        ids.ShouldBe(["'=HYPERLINK(\"http://x\",\"y\")", "'+cmd|' /C calc'!A0", "-12"], ignoreOrder: true);
        printed.OutputLines.ShouldBe(File.ReadAllLines(file));
    }

    [Fact]
    public void ExportScores_WithoutOut_ExitsOneNamingTheOption()
    {
        var run = CliRun.Of("export", "scores");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("--out");
    }
}
