using System.Text.Json;

namespace LeadScore.Cli.Tests.Commands;

public sealed class ImportCommandTests
{
    [Fact]
    public void Import_ExampleContactsAndEvents_PrintsWhatWasImported()
    {
        using var files = new TempFiles();

        var contacts = CliRun.Of("import", "contacts", Examples.Contacts, "--db", files.Database);
        var events = CliRun.Of("import", "events", Examples.Events, "--db", files.Database);

        contacts.ExitCode.ShouldBe(0, contacts.Error);
        contacts.OutputLines.ShouldBe(["imported 4 contacts, 0 unchanged, 0 rejected"]);
        contacts.Error.ShouldBeEmpty();
        events.ExitCode.ShouldBe(0, events.Error);
        events.OutputLines.ShouldBe(["imported 9 events, 0 unchanged, 0 rejected"]);
    }

    [Fact]
    public void Import_SameFilesTwice_ChangesNothing()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);
        var before = CliRun.Of("scores", "--db", files.Database);

        var contacts = CliRun.Of("import", "contacts", Examples.Contacts, "--db", files.Database);
        var events = CliRun.Of("import", "events", Examples.Events, "--db", files.Database);

        contacts.OutputLines.ShouldBe(["imported 0 contacts, 4 unchanged, 0 rejected"]);
        events.OutputLines.ShouldBe(["imported 0 events, 9 unchanged, 0 rejected"]);
        CliRun.Of("scores", "--db", files.Database).Output.ShouldBe(before.Output);
    }

    [Fact]
    public void Import_BadRows_ReportsFileLineColumnAndReasonAndStoresTheGoodRows()
    {
        using var files = new TempFiles();
        var contacts = files.Write("contacts.csv", """
            id;email;jobTitle;country;age
            c1;ana@northwind.example;VP Marketing;US;41
            ;nobody@example.com;CEO;US;50
            c2;bo@tiny.example;Intern;CA;22;extra
            c3;cy@globex.example;Head of Growth;US;35
            c1;again@northwind.example;VP Marketing;US;41
            """);

        var run = CliRun.Of("import", "contacts", contacts, "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.OutputLines.ShouldBe(["imported 2 contacts, 0 unchanged, 3 rejected"]);
        run.Error.ShouldContain("contacts.csv:3:1: no 'id': every contact needs one");
        run.Error.ShouldContain("contacts.csv:4: 6 values for 5 columns");
        run.Error.ShouldContain("contacts.csv:6: 'c1' appears twice in the file (first on line 2)");
    }

    [Fact]
    public void Import_DealWithBadAmountOrDate_IsRejectedWithItsColumn()
    {
        using var files = new TempFiles();
        var deals = files.Write("deals.csv", """
            id,contactId,stage,amount,expectedCloseDate
            d1,c1,proposal,12500.50,2026-12-31
            d2,c1,proposal,lots,2026-12-31
            d3,c2,demo,900,soon
            """);

        var run = CliRun.Of("import", "deals", deals, "--db", files.Database);

        run.ExitCode.ShouldBe(1, run.Error);
        run.OutputLines.ShouldBe(["imported 1 deals, 0 unchanged, 2 rejected"]);
        run.Error.ShouldContain("deals.csv:3:4: amount 'lots' is not a number");
        run.Error.ShouldContain("deals.csv:4:5: expectedCloseDate 'soon' is not an ISO 8601 date");
    }

    [Fact]
    public void Import_Companies_AreStored()
    {
        using var files = new TempFiles();
        var companies = files.Write("companies.jsonl", """
            {"id": "northwind", "name": "Northwind", "industry": "software", "employees": 450}
            {"name": "No id"}
            """);

        var run = CliRun.Of("import", "companies", companies, "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.OutputLines.ShouldBe(["imported 1 companies, 0 unchanged, 1 rejected"]);
        run.Error.ShouldContain("companies.jsonl:2: no 'id': every company needs one");
    }

    [Fact]
    public void Import_Outcomes_ChecksRecordOutcomeAndDate()
    {
        using var files = new TempFiles();
        CliRun.Of("import", "contacts", Examples.Contacts, "--db", files.Database).ExitCode.ShouldBe(0);
        var outcomes = files.Write("outcomes.csv", """
            record,id,outcome,occurredAt,amount
            contact,c1,converted,2026-11-22T10:00:00Z,
            ,c2,converted,2026-11-22T11:00:00Z,
            contact,c3,won,2026-11-22T10:00:00Z,
            contact,c4,converted,last week,
            lead,c4,converted,2026-11-22T10:00:00Z,
            """);

        var run = CliRun.Of("import", "outcomes", outcomes, "--db", files.Database);

        run.ExitCode.ShouldBe(1, run.Error);
        run.OutputLines.ShouldBe(["imported 2 outcomes, 0 unchanged, 3 rejected"]);
        run.Error.ShouldContain("outcomes.csv:4:3: a contact converts; 'won' is for deals");
        run.Error.ShouldContain("outcomes.csv:5:4: occurredAt 'last week' is not an ISO 8601 date-time");
        run.Error.ShouldContain("outcomes.csv:6:1: record 'lead' must be contact or deal");
    }

    [Fact]
    public void Import_EventsOfUnknownContactInStrictMode_ReportsTheStoreRejectionOnItsLine()
    {
        using var files = new TempFiles();
        CliRun.Of("import", "contacts", Examples.Contacts, "--db", files.Database).ExitCode.ShouldBe(0);
        var events = files.Write("events.jsonl", """
            {"id": "e1", "contact": "c1", "type": "email_open", "occurredAt": "2026-11-20T09:00:00Z"}

            {"id": "e2", "contact": "c99", "type": "email_open", "occurredAt": "2026-11-20T09:00:00Z"}
            {"id": "e3", "contact": "c2", "type": "email_open", "occurredAt": "yesterday"}
            """);

        var run = CliRun.Of("import", "events", events, "--db", files.Database, "--strict");

        run.ExitCode.ShouldBe(1);
        run.OutputLines.ShouldBe(["imported 1 events, 0 unchanged, 2 rejected"]);
        run.Error.ShouldContain("events.jsonl:3: ");
        run.Error.ShouldContain("c99");
        run.Error.ShouldContain("events.jsonl:4: occurredAt 'yesterday' is not an ISO 8601 date-time");
    }

    [Fact]
    public void Import_EventsNamingContactsByEmail_CountForThoseContacts()
    {
        using var files = new TempFiles();
        CliRun.Of("import", "contacts", Examples.Contacts, "--db", files.Database).ExitCode.ShouldBe(0);
        CliRun.Of("model", "publish", Examples.Model, "--db", files.Database).ExitCode.ShouldBe(0);
        var events = files.Write("events.csv", """
            id,email,type,occurredAt
            w1,bo@tiny.example,demo_requested,2026-11-22T09:00:00Z
            """);

        var run = CliRun.Of("import", "events", events, "--db", files.Database, "--strict");

        run.ExitCode.ShouldBe(0, run.Error);
        var scores = CliRun.Of("scores", "--db", files.Database);
        using var bo = JsonDocument.Parse(scores.OutputLines.Single(l => l.Contains("\"c2\"", StringComparison.Ordinal)));
        bo.RootElement.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("rule").GetString()).ShouldContain("demo");
    }

    [Fact]
    public void Import_MapOption_ReadsRenamedColumnsAsFields()
    {
        using var files = new TempFiles();
        var contacts = files.Write("crm-export.csv", """
            Contact ID;E-mail;Title;Sector;Headcount;Country;Age;Notes
            c1;ana@northwind.example;VP Marketing;software;450;US;41;met at a fair
            """);
        CliRun.Of("model", "publish", Examples.Model, "--db", files.Database).ExitCode.ShouldBe(0);

        var run = CliRun.Of("import", "contacts", contacts, "--db", files.Database,
            "--map", "Contact ID=id", "--map", "E-mail=email", "--map", "Title=jobTitle", "--map", "Sector=industry",
            "--map", "Headcount=employees", "--map", "Notes=");

        run.ExitCode.ShouldBe(0, run.Error);
        var scores = CliRun.Of("scores", "--db", files.Database);
        using var line = JsonDocument.Parse(scores.OutputLines.Single());
        line.RootElement.GetProperty("contact").GetString().ShouldBe("c1");
        line.RootElement.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("rule").GetString()).ShouldBe(["software", "senior"]);
        line.RootElement.GetProperty("segment").GetInt32().ShouldBe(2);
    }

    [Theory]
    [InlineData("E-mail", "is not column=field")]
    [InlineData("=email", "is not column=field")]
    [InlineData("Mail=email", "the file does not have; its columns are 'id', 'E-mail'")]
    public void Import_BadMap_ExitsOneAndStoresNothing(string map, string message)
    {
        using var files = new TempFiles();
        var contacts = files.Write("contacts.csv", "id,E-mail\nc1,ana@northwind.example\n");

        var run = CliRun.Of("import", "contacts", contacts, "--db", files.Database, "--map", map);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain(message);
        File.Exists(files.Database).ShouldBeFalse();
    }

    [Fact]
    public void Import_MissingFile_ExitsOne()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("import", "events", files.PathOf("events.jsonl"), "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("events.jsonl' does not exist");
    }

    [Fact]
    public void Import_MoreRowsThanABatch_StoresEveryBatch()
    {
        using var files = new TempFiles();
        var lines = Enumerable.Range(1, 2_500).Select(i => $$"""{"id": "e{{i}}", "contact": "c{{i % 7}}", "type": "email_open", "occurredAt": "2026-11-20T09:00:00Z"}""");
        var events = files.Write("events.jsonl", string.Join('\n', lines));

        var run = CliRun.Of("import", "events", events, "--db", files.Database);
        var again = CliRun.Of("import", "events", events, "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.ShouldBe(["imported 2500 events, 0 unchanged, 0 rejected (created 7 contacts)"]);
        again.OutputLines.ShouldBe(["imported 0 events, 2500 unchanged, 0 rejected"]);
    }
}
