using LeadScore.Engine.Model;
using LeadScore.Storage;

namespace LeadScore.Cli.Tests.Commands;

public sealed class AutomationCommandTests
{
    private const string MqlTag = """
        {"name": "Tag MQLs", "model": "b2b-saas", "trigger": {"type": "score-above", "threshold": "mql"},
         "actions": [{"type": "add-tag", "tag": "mql"}, {"type": "set-lifecycle-stage", "stage": "mql"}]}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ApplyToExisting_TagsTheLeadsAlreadyAboveAndListsTheRuns()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);
        var file = files.Write("mql.json", MqlTag);

        var created = CliRun.Of("automation", "create", file, "--apply-to-existing", "--db", files.Database);
        var list = CliRun.Of("automation", "list", "--db", files.Database);
        var runs = CliRun.Of("automation", "runs", "--db", files.Database);

        created.ExitCode.ShouldBe(0, created.Error);
        created.OutputLines[1].ShouldStartWith("webhook secret: whsec_");
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        var above = new List<string>();
        await foreach (var score in store.Scores.ListScoresAsync(WorkspaceId.Default, "b2b-saas", Ct))
        {
            if (score.Thresholds.Contains("mql"))
            {
                above.Add(score.RecordId);
            }
        }

        above.ShouldNotBeEmpty();
        created.OutputLines.ShouldContain($"ran for {above.Count} existing lead(s)");
        foreach (var id in above)
        {
            var contact = (await store.Records.GetRecordAsync(WorkspaceId.Default, RecordKind.Contact, id, Ct)).ShouldNotBeNull();
            contact.Fields["lifecycleStage"].Text.ShouldBe("mql");
        }

        list.OutputLines.ShouldHaveSingleItem().ShouldContain("\tTag MQLs\tb2b-saas\tscore-above\tenabled");
        runs.OutputLines.Length.ShouldBe(above.Count);
        runs.Output.ShouldContain("tag 'mql' added; lifecycle stage set to mql");
    }

    [Fact]
    public void Create_Invalid_ListsEachErrorWithItsPathAndSavesNothing()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);
        var file = files.Write("bad.json", """{"name": "x", "model": "b2b-saas", "trigger": {"type": "score-above", "threshold": "hot"}, "actions": [{"type": "send-fax"}]}""");

        var run = CliRun.Of("automation", "create", file, "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("$.actions[0].type");
        CliRun.Of("automation", "list", "--db", files.Database).OutputLines.ShouldBeEmpty();
    }

    [Fact]
    public void Create_WebhookToAPrivateNetwork_IsRefusedUnlessAllowed()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);
        var file = files.Write("hook.json", """
            {"name": "x", "model": "b2b-saas", "trigger": {"type": "disqualified"}, "actions": [{"type": "webhook", "url": "http://10.0.0.7/hook"}]}
            """);

        var refused = CliRun.Of("automation", "create", file, "--db", files.Database);
        var allowed = CliRun.Of("automation", "create", file, "--webhook-allow", "10.0.0.0/8", "--db", files.Database);

        refused.ExitCode.ShouldBe(1);
        refused.Error.ShouldContain("--webhook-allow");
        allowed.ExitCode.ShouldBe(0, allowed.Error);
    }

    [Fact]
    public void DeliveriesAndReplay_UnknownDelivery_SaySoWithExitCode1()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var dead = CliRun.Of("automation", "deliveries", "--dead", "--db", files.Database);
        var replay = CliRun.Of("automation", "replay", "nope", "--db", files.Database);
        var delete = CliRun.Of("automation", "delete", "au_nope", "--db", files.Database);

        dead.ExitCode.ShouldBe(0, dead.Error);
        dead.OutputLines.ShouldBeEmpty();
        replay.ExitCode.ShouldBe(1);
        replay.Error.ShouldContain("no delivery 'nope'");
        delete.ExitCode.ShouldBe(1);
    }
}
