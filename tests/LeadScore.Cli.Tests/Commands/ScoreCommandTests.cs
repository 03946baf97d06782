using System.Text.Json;

namespace LeadScore.Cli.Tests.Commands;

public sealed class ScoreCommandTests
{
    private static readonly string Model = Repository.File("examples/models/b2b-saas.json");
    private static readonly string Contacts = Repository.File("examples/data/contacts.jsonl");
    private static readonly string Events = Repository.File("examples/data/events.jsonl");

    [Fact]
    public void Score_ExampleData_WritesOneLinePerContactWithTheDocumentedKeys()
    {
        var run = CliRun.Of("score", "--model", Model, "--contacts", Contacts, "--events", Events, "--as-of", "2026-11-23T00:00:00Z");

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.Length.ShouldBe(4);
        using var first = JsonDocument.Parse(run.OutputLines[0]);
        var keys = first.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        keys.ShouldBe(["contact", "score", "points", "segment", "requirementsMet", "qualified", "disqualified", "disqualifiedBy",
            "grade", "thresholds", "categories", "rules", "nextChangeAt"]);
    }

    [Fact]
    public void Score_MidSizeSeniorSoftwareLeadWithDemo_ReachesMqlWithCompositeScore()
    {
        var run = CliRun.Of("score", "--model", Model, "--contacts", Contacts, "--events", Events, "--as-of", "2026-11-23T00:00:00Z");

        using var line = JsonDocument.Parse(run.OutputLines[0]);
        var card = line.RootElement;
        card.GetProperty("contact").GetString().ShouldBe("c1");
        // 10 software + 15 senior + 2x2 opens + 5 pricing + 20 demo decayed over 2.35 days of a 30-day half-life.
        card.GetProperty("points").GetInt32().ShouldBe(53);
        card.GetProperty("score").GetInt32().ShouldBe(2253);
        card.GetProperty("grade").GetString().ShouldBe("B");
        card.GetProperty("thresholds").EnumerateArray().Select(t => t.GetString()).ShouldBe(["mql"]);
        card.GetProperty("categories").GetProperty("critical").GetDouble().ShouldBe(18.94);
    }

    [Fact]
    public void Score_Competitor_IsDisqualifiedWithTheReason()
    {
        var run = CliRun.Of("score", "--model", Model, "--contacts", Contacts, "--events", Events, "--as-of", "2026-11-23T00:00:00Z");

        using var line = JsonDocument.Parse(run.OutputLines[2]);
        line.RootElement.GetProperty("disqualified").GetBoolean().ShouldBeTrue();
        line.RootElement.GetProperty("disqualifiedBy").GetString().ShouldBe("competitor");
        line.RootElement.GetProperty("score").GetInt32().ShouldBe(0);
    }

    [Fact]
    public void Score_CsvInputsWithSemicolons_ScoreLikeJsonLines()
    {
        using var files = new TempFiles();
        var contacts = files.Write("contacts.csv", "id;email;jobTitle;industry;employees;country;age\nc1;ana@northwind.example;VP Marketing;software;450;US;41\n");
        var events = files.Write("events.csv",
            "id;contact;type;occurredAt;url\n" +
            "e3;c1;page_view;2026-11-15T10:00:00Z;https://x.example/pricing\n" +
            "e4;c1;page_view;2026-11-16T10:00:00Z;https://x.example/pricing\n");

        var run = CliRun.Of("score", "--model", Model, "--contacts", contacts, "--events", events, "--as-of", "2026-11-23T00:00:00Z");

        run.ExitCode.ShouldBe(0, run.Error);
        using var line = JsonDocument.Parse(run.OutputLines[0]);
        line.RootElement.GetProperty("points").GetInt32().ShouldBe(30);
        line.RootElement.GetProperty("segment").GetInt32().ShouldBe(2);
    }

    [Fact]
    public void Score_CsvFormat_WritesHeaderAndCategoryColumns()
    {
        var run = CliRun.Of("score", "--model", Model, "--contacts", Contacts, "--events", Events, "--as-of", "2026-11-23T00:00:00Z",
            "--format", "csv");

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines[0].ShouldStartWith("contact,score,points,segment,requirementsMet,qualified,disqualified,disqualifiedBy,grade,thresholds,nextChangeAt,category:target-market");
        run.OutputLines[1].ShouldStartWith("c1,2253,53,2,2,true,false,,B,mql,");
        run.OutputLines.Length.ShouldBe(5);
    }

    [Fact]
    public void Score_BadLines_ReportsFileLineAndReasonAndWritesNothing()
    {
        using var files = new TempFiles();
        var contacts = files.Write("contacts.jsonl", """
            {"id": "c1", "country": "US"}
            {"country": "CA"}
            not json
            """);
        var events = files.Write("events.jsonl", """
            {"id": "e1", "contact": "c1", "type": "email_open", "occurredAt": "yesterday"}
            {"id": "e2", "contact": "c9", "type": "email_open", "occurredAt": "2026-11-01T00:00:00Z"}
            """);
        var output = files.PathOf("scores.jsonl");

        var run = CliRun.Of("score", "--model", Model, "--contacts", contacts, "--events", events, "--out", output);

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldBeEmpty();
        File.Exists(output).ShouldBeFalse();
        run.Error.ShouldContain("contacts.jsonl:2: no 'id'");
        run.Error.ShouldContain("contacts.jsonl:3: not valid JSON");
        run.Error.ShouldContain("events.jsonl:1: occurredAt 'yesterday' is not an ISO 8601");
        run.Error.ShouldContain("events.jsonl:2: contact 'c9' is not in the contacts file");
    }

    [Fact]
    public void Score_SameEventIdTwice_CountsOnce()
    {
        using var files = new TempFiles();
        var contacts = files.Write("contacts.jsonl", """{"id": "c1"}""");
        var events = files.Write("events.jsonl", """
            {"id": "e1", "contact": "c1", "type": "email_open", "occurredAt": "2026-11-20T00:00:00Z"}
            {"id": "e1", "contact": "c1", "type": "email_open", "occurredAt": "2026-11-20T00:00:00Z"}
            """);

        var run = CliRun.Of("score", "--model", Model, "--contacts", contacts, "--events", events, "--as-of", "2026-11-23T00:00:00Z");

        using var line = JsonDocument.Parse(run.OutputLines[0]);
        line.RootElement.GetProperty("categories").GetProperty("interest").GetDouble().ShouldBe(2);
    }

    [Fact]
    public void Score_AsOfBeforeTheEvents_IgnoresLaterEvents()
    {
        var run = CliRun.Of("score", "--model", Model, "--contacts", Contacts, "--events", Events, "--as-of", "2026-11-01T00:00:00Z");

        using var line = JsonDocument.Parse(run.OutputLines[0]);
        line.RootElement.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("rule").GetString())
            .ShouldBe(["software", "senior"]);
        line.RootElement.GetProperty("nextChangeAt").GetString().ShouldBe("2026-11-02T09:00:00Z");
    }

    [Fact]
    public void Score_OutFile_IsWrittenWhole()
    {
        using var files = new TempFiles();
        var output = files.PathOf("scores.jsonl");

        var run = CliRun.Of("score", "--model", Model, "--contacts", Contacts, "--events", Events, "--as-of", "2026-11-23T00:00:00Z",
            "--out", output);

        run.ExitCode.ShouldBe(0, run.Error);
        File.ReadAllLines(output).Length.ShouldBe(4);
        File.Exists(output + ".partial").ShouldBeFalse();
    }

    [Fact]
    public void Score_BadAsOf_ExitsOneWithTheExpectedForm()
    {
        var run = CliRun.Of("score", "--model", Model, "--contacts", Contacts, "--as-of", "next tuesday");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("ISO 8601");
    }

    [Fact]
    public void Score_InvalidModel_ExitsOneAndListsTheErrors()
    {
        using var files = new TempFiles();
        var model = files.Write("bad.json", """{"key": "m", "categories": [], "rules": []}""");

        var run = CliRun.Of("score", "--model", model, "--contacts", Contacts);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("$.categories");
        run.Output.ShouldBeEmpty();
    }
}
