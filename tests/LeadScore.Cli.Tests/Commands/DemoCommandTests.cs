using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Tests.Commands;

public sealed class DemoCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Demo_FirstRun_FillsTheDatabaseScoresEveryContactAndPrintsAWorkingAdminKey()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("demo", "--no-serve", "--contacts", "300", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain("imported 300 contacts, 0 unchanged, 0 rejected");
        var secret = run.OutputLines.Single(l => l.StartsWith("Admin API key: ", StringComparison.Ordinal))["Admin API key: ".Length..];
        await using var store = await LeadStore.OpenAsync(files.Database, null, Ct);
        (await store.Keys.FindApiKeyAsync(secret, Ct)).ShouldNotBeNull().Scope.ShouldBe(ApiKeyScope.Admin);
        var scores = new List<StoredScore>();
        await foreach (var score in store.Scores.ListScoresAsync(WorkspaceId.Default, "balanced", Ct))
        {
            scores.Add(score);
        }

        scores.Count.ShouldBe(300);
        scores.ShouldContain(s => s.Thresholds.Contains("mql"));
        (await store.Outcomes.GetOutcomesAsync(WorkspaceId.Default, Ct)).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Demo_SecondRun_ReusesTheDataAndReplacesThePreviousKey()
    {
        using var files = new TempFiles();
        var first = CliRun.Of("demo", "--no-serve", "--contacts", "200", "--db", files.Database);
        var firstKey = first.OutputLines.Single(l => l.StartsWith("Admin API key: ", StringComparison.Ordinal))["Admin API key: ".Length..];

        var second = CliRun.Of("demo", "--no-serve", "--contacts", "200", "--db", files.Database);

        second.ExitCode.ShouldBe(0, second.Error);
        second.Output.ShouldContain("Reusing");
        second.Output.ShouldNotContain("imported");
        var secondKey = second.OutputLines.Single(l => l.StartsWith("Admin API key: ", StringComparison.Ordinal))["Admin API key: ".Length..];
        await using var store = await LeadStore.OpenAsync(files.Database, null, Ct);
        (await store.Keys.FindApiKeyAsync(firstKey, Ct)).ShouldBeNull();
        (await store.Keys.FindApiKeyAsync(secondKey, Ct)).ShouldNotBeNull();
        (await store.Events.CountEventsAsync(WorkspaceId.Default, Ct)).ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Demo_BadContactCount_ExitsOneSayingTheRange()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("demo", "--no-serve", "--contacts", "0", "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("--contacts 0 is out of range");
        File.Exists(files.Database).ShouldBeFalse();
    }
}
