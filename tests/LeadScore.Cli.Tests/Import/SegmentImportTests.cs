using System.IO.Compression;
using System.Text;
using LeadScore.Engine.Model;
using LeadScore.Storage;

namespace LeadScore.Cli.Tests.Import;

public sealed class SegmentImportTests
{
    /// <summary>
    /// A warehouse archive's day: a person identifies, joins their company and starts a trial; a
    /// visitor looks at pricing before signing up; one line was cut short.
    /// </summary>
    private const string Archive = """
        {"type":"identify","messageId":"m-1","userId":"u-ana","timestamp":"2026-11-20T09:00:00Z","traits":{"email":"ana@acme.example","firstName":"Ana","title":"VP Marketing"}}
        {"type":"group","messageId":"m-2","userId":"u-ana","groupId":"acme","timestamp":"2026-11-20T09:00:01Z","traits":{"name":"Acme Inc","industry":"Software","website":"https://www.acme.example"}}
        {"type":"track","messageId":"m-3","userId":"u-ana","event":"Trial Started","timestamp":"2026-11-20T09:05:00Z","properties":{"plan":"pro"}}
        {"type":"page","messageId":"m-4","userId":"u-ana","name":"Docs","timestamp":"2026-11-20T09:06:00Z","context":{"page":{"path":"/docs"}}}
        {"type":"track","messageId":"m-5","anonymousId":"anon-7","event":"Pricing Viewed","timestamp":"2026-11-20T10:00:00Z"}
        {"type":"track","messageId":"m-6","userId":"u-bo",
        {"type":"identify","messageId":"m-7","userId":"u-bo","anonymousId":"anon-7","timestamp":"2026-11-20T10:05:00Z","traits":{"email":"bo@globex.example"}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_AnArchive_StoresContactsCompanyLinksAndMappedEventsAndReportsTheBadLine()
    {
        using var files = new TempFiles();
        var archive = files.Write("segment.jsonl", Archive);

        var run = CliRun.Of("import", "segment", archive, "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.ShouldBe(["imported 6 messages, 0 duplicates, 0 ignored, 1 refused (created 2 contacts)"], run.Error);
        run.Error.ShouldContain("segment.jsonl:6: not JSON");
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        var ana = (await store.Records.GetRecordAsync(WorkspaceId.Default, RecordKind.Contact, "u-ana", Ct)).ShouldNotBeNull();
        ana.Fields["jobTitle"].Text.ShouldBe("VP Marketing");
        ana.Fields["email"].Text.ShouldBe("ana@acme.example");
        ana.CompanyId.ShouldBe("acme");
        var acme = (await store.Records.GetRecordAsync(WorkspaceId.Default, RecordKind.Company, "acme", Ct)).ShouldNotBeNull();
        acme.Fields["name"].Text.ShouldBe("Acme Inc");
        acme.Fields["domain"].Text.ShouldBe("acme.example");
        (await store.Events.GetEventsAsync(WorkspaceId.Default, "u-ana", Ct)).Select(e => (e.Id, e.Type)).ShouldBe([("m-3", "free_trial_started"), ("m-4", "page_view")], ignoreOrder: true);
        // The visitor's look at pricing before signing up is Bo's.
        (await store.Events.GetEventsAsync(WorkspaceId.Default, "u-bo", Ct)).Select(e => (e.Id, e.Type)).ShouldBe([("m-5", "pricing_viewed")]);
    }

    [Fact]
    public async Task Import_TheSameArchiveTwice_AddsNothingAndCountsDuplicates()
    {
        using var files = new TempFiles();
        var archive = files.Write("segment.jsonl", Archive);
        CliRun.Of("import", "segment", archive, "--db", files.Database).ExitCode.ShouldBe(0);
        long eventsBefore;
        await using (var before = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct))
        {
            eventsBefore = await before.Events.CountEventsAsync(WorkspaceId.Default, Ct);
        }

        var again = CliRun.Of("import", "segment", archive, "--db", files.Database);

        again.ExitCode.ShouldBe(0, again.Error);
        again.OutputLines.ShouldBe(["imported 0 messages, 6 duplicates, 0 ignored, 1 refused"]);
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        (await store.Events.CountEventsAsync(WorkspaceId.Default, Ct)).ShouldBe(eventsBefore);
        (await store.Records.CountContactsAsync(WorkspaceId.Default, Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task Import_AGzipArchive_IsReadWhateverItsName()
    {
        using var files = new TempFiles();
        var archive = files.PathOf("part-0001.bin");
        await using (var gzip = new GZipStream(File.Create(archive), CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(Archive), Ct);
        }

        var run = CliRun.Of("import", "segment", archive, "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.ShouldBe(["imported 6 messages, 0 duplicates, 0 ignored, 1 refused (created 2 contacts)"]);
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        (await store.Records.GetRecordAsync(WorkspaceId.Default, RecordKind.Contact, "u-ana", Ct)).ShouldNotBeNull().Fields["jobTitle"].Text.ShouldBe("VP Marketing");
    }

    [Fact]
    public async Task Import_AfterMappingSet_TypesEventsByTheMappingAndListsTheNamesSeen()
    {
        using var files = new TempFiles();
        var mapping = files.Write("mapping.json", """{"Pricing Viewed": "pricing_page", "Newsletter Opened": null}""");
        CliRun.Of("source", "mapping", "set", mapping, "--db", files.Database).ExitCode.ShouldBe(0);
        var archive = files.Write("segment.jsonl", """
            {"type":"track","messageId":"t-1","userId":"u-cy","event":"Pricing Viewed","timestamp":"2026-11-21T08:00:00Z"}
            {"type":"track","messageId":"t-2","userId":"u-cy","event":"Newsletter Opened","timestamp":"2026-11-21T08:01:00Z"}
            {"type":"track","messageId":"t-3","userId":"u-cy","event":"Trial Started","timestamp":"2026-11-21T08:02:00Z"}
            """);

        var run = CliRun.Of("import", "segment", archive, "--db", files.Database);
        var names = CliRun.Of("source", "events", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.ShouldBe(["imported 2 messages, 0 duplicates, 1 ignored, 0 refused (created 1 contacts)"]);
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        (await store.Events.GetEventsAsync(WorkspaceId.Default, "u-cy", Ct)).Select(e => e.Type).ShouldBe(["pricing_page", "free_trial_started"], ignoreOrder: true);
        names.ExitCode.ShouldBe(0, names.Error);
        names.OutputLines.ShouldContain(l => l.StartsWith("Pricing Viewed\t1\tpricing_page\tworkspace\t", StringComparison.Ordinal));
        names.OutputLines.ShouldContain(l => l.StartsWith("Newsletter Opened\t1\tignored\tignored\t", StringComparison.Ordinal));
        names.OutputLines.ShouldContain(l => l.StartsWith("Trial Started\t1\tfree_trial_started\tbuilt-in\t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_BatchLines_ShareTheirContextAndARefusedItemIsNamedByLineAndPath()
    {
        using var files = new TempFiles();
        var archive = files.Write("batches.jsonl", """
            {"batch":[{"type":"page","messageId":"b-1","userId":"u-di","timestamp":"2026-11-22T08:00:00Z"},{"type":"launch","messageId":"b-2","userId":"u-di"}],"context":{"campaign":{"source":"newsletter"}},"sentAt":"2026-11-22T08:00:05Z"}
            """);

        var run = CliRun.Of("import", "segment", archive, "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.ShouldBe(["imported 1 messages, 0 duplicates, 0 ignored, 1 refused (created 1 contacts)"]);
        run.Error.ShouldContain("batches.jsonl:1: $.batch[1].type: the type 'launch' is not one of");
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        var page = (await store.Events.GetEventsAsync(WorkspaceId.Default, "u-di", Ct)).ShouldHaveSingleItem();
        page.Properties["utm_source"].Text.ShouldBe("newsletter");
    }

    [Fact]
    public void Import_AFileWithNoMessageInIt_ExitsOne()
    {
        using var files = new TempFiles();
        var archive = files.Write("notes.txt", "id,email\nc1,ana@acme.example\n");

        var run = CliRun.Of("import", "segment", archive, "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.OutputLines.ShouldBe(["imported 0 messages, 0 duplicates, 0 ignored, 2 refused"]);
        run.Error.ShouldContain("notes.txt:1: not JSON");
        run.Error.ShouldContain("no Segment Spec message could be read");
    }
}
