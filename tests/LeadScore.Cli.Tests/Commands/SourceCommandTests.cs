using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Tests.Commands;

public sealed class SourceCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_PrintsTheWriteKeyOnceAndWhatTheSdksAndWebhooksNeed()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("source", "create", "--name", "web", "--workspace", "acme", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        var source = (await store.Sources.ListSourcesAsync(new WorkspaceId("acme"), Ct)).ShouldHaveSingleItem();
        source.Name.ShouldBe("web");
        var writeKey = WriteKeyIn(run);
        var key = (await store.Keys.FindApiKeyAsync(writeKey, Ct)).ShouldNotBeNull();
        key.Id.ShouldBe(source.KeyId);
        key.Scope.ShouldBe(ApiKeyScope.Ingest);
        run.Output.ShouldContain($"source: {source.Id}");
        run.Output.ShouldContain("shown once");
        run.Output.ShouldContain("point the SDK's host / data plane URL at your LeadScore server");
        run.Output.ShouldContain($"/v1/webhooks/segment?source={source.Id}, shared secret {source.SigningSecret}");
        run.Output.ShouldContain($"/v1/webhooks/rudderstack with the header 'Authorization: Bearer {writeKey}'");
    }

    [Fact]
    public void List_ShowsEachSourceWithItsWebhookAndSecretButNeverTheWriteKey()
    {
        using var files = new TempFiles();
        var web = CliRun.Of("source", "create", "--name", "web", "--db", files.Database);
        var app = CliRun.Of("source", "create", "--name", "app", "--db", files.Database);
        CliRun.Of("source", "create", "--name", "elsewhere", "--workspace", "acme", "--db", files.Database).ExitCode.ShouldBe(0);

        var run = CliRun.Of("source", "list", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.Length.ShouldBe(2);
        run.OutputLines.ShouldContain(l => l.Contains("\tweb\t", StringComparison.Ordinal) && l.Contains("/v1/webhooks/segment?source=src_", StringComparison.Ordinal)
            && l.Contains("\tsecret ", StringComparison.Ordinal) && l.EndsWith("active", StringComparison.Ordinal));
        run.OutputLines.ShouldContain(l => l.Contains("\tapp\t", StringComparison.Ordinal));
        run.Output.ShouldNotContain(WriteKeyIn(web));
        run.Output.ShouldNotContain(WriteKeyIn(app));
        run.Output.ShouldNotContain("elsewhere");
    }

    [Fact]
    public async Task Revoke_TheWriteKeyIsRefusedAndTheSourceListedAsRevoked()
    {
        using var files = new TempFiles();
        var writeKey = WriteKeyIn(CliRun.Of("source", "create", "--name", "web", "--db", files.Database));
        var id = CliRun.Of("source", "list", "--db", files.Database).OutputLines.Single().Split('\t')[0];

        var run = CliRun.Of("source", "revoke", id, "--db", files.Database);
        var again = CliRun.Of("source", "revoke", id, "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain($"revoked {id}");
        again.ExitCode.ShouldBe(1);
        again.Error.ShouldContain($"no active source '{id}'");
        CliRun.Of("source", "list", "--db", files.Database).OutputLines.Single().ShouldContain("revoked");
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        (await store.Keys.FindApiKeyAsync(writeKey, Ct)).ShouldBeNull();
        (await store.Sources.FindSourceAsync(id, Ct)).ShouldBeNull();
    }

    [Fact]
    public void Revoke_AnotherWorkspacesSource_ExitsOneAndRevokesNothing()
    {
        using var files = new TempFiles();
        CliRun.Of("source", "create", "--name", "web", "--workspace", "acme", "--db", files.Database).ExitCode.ShouldBe(0);
        var id = CliRun.Of("source", "list", "--workspace", "acme", "--db", files.Database).OutputLines.Single().Split('\t')[0];

        var run = CliRun.Of("source", "revoke", id, "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        CliRun.Of("source", "list", "--workspace", "acme", "--db", files.Database).OutputLines.Single().ShouldEndWith("active");
    }

    [Fact]
    public async Task MappingSet_WithBadEntries_ReportsEveryProblemAndSavesNothing()
    {
        using var files = new TempFiles();
        CliRun.Of("source", "create", "--name", "web", "--db", files.Database).ExitCode.ShouldBe(0);
        var mapping = files.Write("mapping.json", """
            {
              "Demo Booked": "demo_requested",
              "Trial Begun": "Trial Begun",
              "Webinar Watched": 5,
              "demo booked": "demo_attended",
              "": "page_view"
            }
            """);

        var run = CliRun.Of("source", "mapping", "set", mapping, "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("events['Trial Begun']: 'Trial Begun' is not an event type");
        run.Error.ShouldContain("events['Webinar Watched']: 5 is not an event type");
        run.Error.ShouldContain("events['demo booked']: the same name as 'Demo Booked'");
        run.Error.ShouldContain("events['']: an event name is 1 to 200 characters");
        run.Error.ShouldContain("nothing was saved");
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        (await store.Sources.ListEventMappingsAsync(WorkspaceId.Default, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public void MappingShow_ListsTheWorkspacesNamesAndTheBuiltInOnesItDoesNotOverride()
    {
        using var files = new TempFiles();
        var mapping = files.Write("mapping.json", """{"Demo Booked": "demo_requested", "Trial Started": "trial", "Newsletter Opened": null}""");
        CliRun.Of("source", "mapping", "set", mapping, "--db", files.Database).Output.ShouldContain("saved mapping version 1 (3 names)");

        var run = CliRun.Of("source", "mapping", "show", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.ShouldContain("Demo Booked\tdemo_requested\tworkspace");
        run.OutputLines.ShouldContain("Newsletter Opened\tignored\tworkspace");
        run.OutputLines.ShouldContain("Trial Started\ttrial\tworkspace");
        run.OutputLines.ShouldNotContain("Trial Started\tfree_trial_started\tbuilt-in");
        run.OutputLines.ShouldContain("Demo Requested\tdemo_requested\tbuilt-in");
        run.Error.ShouldContain("mapping version 1");
    }

    internal static string WriteKeyIn(CliRun created) =>
        created.OutputLines.Single(l => l.StartsWith("write key: ", StringComparison.Ordinal))["write key: ".Length..];
}
