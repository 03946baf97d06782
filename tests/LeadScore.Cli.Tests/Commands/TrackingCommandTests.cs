using LeadScore.Server.Features.Tracking;
using LeadScore.Storage;

namespace LeadScore.Cli.Tests.Commands;

public sealed class TrackingCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmailLink_PrintsSignedOpenAndClickLinksForTheContact()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("tracking", "email-link", "--contact", "c-1", "--campaign", "nov", "--url", "https://www.example.com/pricing",
            "--base-url", "https://ls.example.com", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        var open = run.OutputLines[0]["open: ".Length..];
        var click = run.OutputLines[1]["click: ".Length..];
        open.ShouldStartWith("https://ls.example.com/t/o/");
        click.ShouldEndWith("?u=https%3A%2F%2Fwww.example.com%2Fpricing");
        await using var store = await LeadStore.OpenAsync(files.Database, TimeProvider.System, Ct);
        var secret = await store.Tracking.GetTrackingSecretAsync(WorkspaceId.Default, Ct);
        var token = EmailTokens.Verify(click["https://ls.example.com/t/c/".Length..click.IndexOf('?', StringComparison.Ordinal)], secret).ShouldNotBeNull();
        (token.Contact, token.Campaign, token.Link!.ToString()).ShouldBe(("c-1", "nov", "https://www.example.com/pricing"));
        EmailTokens.Verify(open["https://ls.example.com/t/o/".Length..], secret).ShouldNotBeNull().IsClick.ShouldBeFalse();
    }

    [Theory]
    [InlineData("https://www.example.com/a\r\nSet-Cookie: x=1")]
    [InlineData("https://www.example.com/a\nb")]
    [InlineData("https://www.example.com/a\tb")]
    [InlineData("https://www.example.com/\u0085")]
    public void EmailLink_UrlWithAControlCharacter_IsRefusedAndNothingIsPrinted(string url)
    {
        using var files = new TempFiles();

        var run = CliRun.Of("tracking", "email-link", "--contact", "c-1", "--campaign", "nov", "--url", url, "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldBeEmpty();
        run.Error.ShouldContain("control character");
        run.Error.ShouldNotContain("Set-Cookie");
    }

    [Fact]
    public void SiteCreate_PrintsTheScriptTagAndListShowsTheKey()
    {
        using var files = new TempFiles();

        var created = CliRun.Of("tracking", "site", "create", "--origin", "https://www.example.com/", "--base-url", "https://ls.example.com", "--db", files.Database);
        var list = CliRun.Of("tracking", "site", "list", "--db", files.Database);
        var bad = CliRun.Of("tracking", "site", "create", "--origin", "www.example.com", "--db", files.Database);

        created.ExitCode.ShouldBe(0, created.Error);
        created.Output.ShouldStartWith("<script src=\"https://ls.example.com/t.js\" data-site-key=\"pk_");
        list.OutputLines.ShouldHaveSingleItem().ShouldContain("\twebsite\thttps://www.example.com\tactive");
        bad.ExitCode.ShouldBe(1);
        bad.Error.ShouldContain("is not an origin");
    }

    [Fact]
    public void SiteCreate_TraitsAndClaims_AreKeptAndRoutingFieldsRefused()
    {
        using var files = new TempFiles();

        var created = CliRun.Of("tracking", "site", "create", "--origin", "https://www.example.com", "--trait", "firstName", "--trait", "jobTitle",
            "--claims", "merge", "--db", files.Database);
        var list = CliRun.Of("tracking", "site", "list", "--db", files.Database);
        var owner = CliRun.Of("tracking", "site", "create", "--origin", "https://www.example.com", "--trait", "owner", "--db", files.Database);
        var claims = CliRun.Of("tracking", "site", "create", "--origin", "https://www.example.com", "--claims", "trust-everyone", "--db", files.Database);

        created.ExitCode.ShouldBe(0, created.Error);
        list.OutputLines.ShouldHaveSingleItem().ShouldEndWith("\ttraits firstName,jobTitle\tclaims merge");
        (owner.ExitCode, claims.ExitCode).ShouldBe((1, 1));
        owner.Error.ShouldContain("'owner' cannot be set from the website snippet");
        claims.Error.ShouldContain("'hold' or 'merge'");
    }
}
