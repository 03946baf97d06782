namespace LeadScore.Cli.Tests.Commands;

public sealed class LeadsCommandTests
{
    [Fact]
    public void Leads_ByScore_ListsContactsHighestScoreFirstWithNameTitleAndGrade()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("leads", "--db", files.Database, "--top", "3", "--by", "score");

        run.ExitCode.ShouldBe(0, run.Error);
        var rows = run.OutputLines.Where(l => l.StartsWith("│ ", StringComparison.Ordinal) && !l.Contains("│ # ", StringComparison.Ordinal)).ToArray();
        rows.Length.ShouldBe(3);
        var scores = rows.Select(r => int.Parse(r.Split('│', StringSplitOptions.TrimEntries)[5], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        scores.ShouldBe(scores.OrderDescending().ToArray());
        run.Output.ShouldContain("VP Marketing");
        run.Output.ShouldContain("mql");
    }

    [Fact]
    public void Leads_ByDefault_ListsQualifiedLeadsFirstThenByPoints()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("leads", "--db", files.Database, "--top", "1000");

        run.ExitCode.ShouldBe(0, run.Error);
        var rows = run.OutputLines.Where(l => l.StartsWith("│ ", StringComparison.Ordinal) && !l.Contains("│ # ", StringComparison.Ordinal))
            .Select(r => r.Split('│', StringSplitOptions.TrimEntries)).ToArray();
        rows.Length.ShouldBeGreaterThan(1);
        var order = rows.Select(cells => (Qualified: cells[8] == "yes", Score: int.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        order.ShouldBe(order.OrderByDescending(o => o.Qualified).ToList());
    }

    [Fact]
    public void Leads_UnknownStatus_ExitsOneNamingTheStatuses()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("leads", "--db", files.Database, "--status", "customers");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("open, converted, won, lost, disqualified");
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
    public void ExportScores_WritesEveryOpenLeadInTheOrderSalesCallsThem_WithWhoItIsBesideTheScoresColumns()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);
        var file = files.PathOf("scores.csv");
        var printed = Records(CliRun.Of("scores", "--db", files.Database, "--format", "csv").Output);

        var run = CliRun.Of("export", "scores", "--db", files.Database, "--model", "b2b-saas", "--out", file);
        var all = CliRun.Of("export", "scores", "--db", files.Database, "--status", "all", "--out", files.PathOf("all.csv"));

        run.ExitCode.ShouldBe(0, run.Error);
        all.ExitCode.ShouldBe(0, all.Error);
        var exported = Records(File.ReadAllText(file));
        exported[0].ShouldBe(["contact", "status", "name", "email", "company", .. printed[0][1..]]);
        var byId = printed.Skip(1).ToDictionary(r => r[0]);
        foreach (var row in exported.Skip(1))
        {
            row[1].ShouldBe("open");
            ((string[])[row[0], .. row[5..]]).ShouldBe(byId[row[0]], $"the score columns of {row[0]}");
        }

        var qualified = Array.IndexOf(exported[0], "qualified");
        var order = exported.Skip(1).Select(r => (Qualified: r[qualified] == "true", Points: int.Parse(r[6], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        order.ShouldBe(order.OrderByDescending(o => o.Qualified).ThenByDescending(o => o.Points).ToList());
        Records(File.ReadAllText(files.PathOf("all.csv"))).Count.ShouldBe(printed.Count);
        exported.Skip(1).ShouldContain(r => r[3].Length > 0, "a contact's email");
    }

    private static List<string[]> Records(string csvText)
    {
        var csv = new Input.CsvRecords(new StringReader(csvText));
        var records = new List<string[]>();
        while (csv.Read() is { } record)
        {
            records.Add([.. record]);
        }

        return records;
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
        Records(printed.Output).Skip(1).Select(r => r[0]).ShouldBe(ids, ignoreOrder: true);
    }

    [Fact]
    public void ExportScores_WithoutOut_ExitsOneNamingTheOption()
    {
        var run = CliRun.Of("export", "scores");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("--out");
    }
}
