using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Tests.Commands;

public sealed class ApiKeyCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_PrintsOnlyTheKey_ForANewWorkspaceWithTheScopeAsked()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("apikey", "create", "--scope", "write", "--name", "crm sync", "--workspace", "acme", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        var secret = run.OutputLines.ShouldHaveSingleItem();
        secret.ShouldStartWith("lsk_");
        run.Error.ShouldContain("workspace 'acme'");
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        var key = (await store.Keys.FindApiKeyAsync(secret, Ct)).ShouldNotBeNull();
        key.Workspace.ShouldBe(new WorkspaceId("acme"));
        key.Scope.ShouldBe(ApiKeyScope.Write);
        key.Name.ShouldBe("crm sync");
        (await store.Keys.ListApiKeysAsync(WorkspaceId.Default, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_WithoutScope_MakesAnAdminKeyOfTheDefaultWorkspace()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("apikey", "create", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        var key = (await store.Keys.FindApiKeyAsync(run.OutputLines.Single(), Ct)).ShouldNotBeNull();
        key.Workspace.ShouldBe(WorkspaceId.Default);
        key.Scope.ShouldBe(ApiKeyScope.Admin);
    }

    [Fact]
    public void List_ShowsEachKeyOfTheWorkspaceButNeverItsText()
    {
        using var files = new TempFiles();
        var read = CliRun.Of("apikey", "create", "--scope", "read", "--name", "dashboard", "--db", files.Database).OutputLines.Single();
        var admin = CliRun.Of("apikey", "create", "--name", "ops", "--db", files.Database).OutputLines.Single();
        CliRun.Of("apikey", "create", "--name", "elsewhere", "--workspace", "acme", "--db", files.Database).ExitCode.ShouldBe(0);

        var run = CliRun.Of("apikey", "list", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.Length.ShouldBe(2);
        run.OutputLines.ShouldContain(l => l.Contains("\tread\tdashboard\t", StringComparison.Ordinal) && l.EndsWith("active", StringComparison.Ordinal));
        run.OutputLines.ShouldContain(l => l.Contains("\tadmin\tops\t", StringComparison.Ordinal));
        run.Output.ShouldNotContain(read);
        run.Output.ShouldNotContain(admin);
        run.Output.ShouldNotContain("elsewhere");
    }

    [Fact]
    public async Task Revoke_TheKeyIsRefusedByTheStoreAndListedAsRevoked()
    {
        using var files = new TempFiles();
        var secret = CliRun.Of("apikey", "create", "--scope", "read", "--db", files.Database).OutputLines.Single();
        var id = CliRun.Of("apikey", "list", "--db", files.Database).OutputLines.Single().Split('\t')[0];

        var run = CliRun.Of("apikey", "revoke", id, "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain($"revoked {id}");
        CliRun.Of("apikey", "list", "--db", files.Database).OutputLines.Single().ShouldContain("revoked");
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        (await store.Keys.FindApiKeyAsync(secret, Ct)).ShouldBeNull();
    }

    [Fact]
    public void Revoke_UnknownOrOtherWorkspacesKey_ExitsOneAndRevokesNothing()
    {
        using var files = new TempFiles();
        CliRun.Of("apikey", "create", "--workspace", "acme", "--db", files.Database).ExitCode.ShouldBe(0);
        var id = CliRun.Of("apikey", "list", "--workspace", "acme", "--db", files.Database).OutputLines.Single().Split('\t')[0];

        var unknown = CliRun.Of("apikey", "revoke", "nosuchkey", "--db", files.Database);
        var otherWorkspace = CliRun.Of("apikey", "revoke", id, "--db", files.Database);

        unknown.ExitCode.ShouldBe(1);
        unknown.Error.ShouldContain("no key 'nosuchkey'");
        otherWorkspace.ExitCode.ShouldBe(1);
        CliRun.Of("apikey", "list", "--workspace", "acme", "--db", files.Database).OutputLines.Single().ShouldEndWith("active");
    }

    [Fact]
    public void Create_BadScope_IsAUsageErrorThatCreatesNothing()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("apikey", "create", "--scope", "owner", "--db", files.Database);

        // A value the parser refuses exits 1 ("the arguments need changing"), before any database is opened.
        run.ExitCode.ShouldBe(1, run.Error);
        run.Output.ShouldNotContain("lsk_");
        run.Error.ShouldContain("owner");
        run.Error.ShouldContain("read");
        File.Exists(files.Database).ShouldBeFalse();
    }
}
