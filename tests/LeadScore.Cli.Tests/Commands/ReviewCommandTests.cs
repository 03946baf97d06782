using System.Text.Json;

namespace LeadScore.Cli.Tests.Commands;

public sealed class ReviewCommandTests
{
    private static readonly string Misguided = Repository.File("examples/models/misguided.json");

    /// <summary>Generates a funnel of its own seed into a folder of <paramref name="files"/>.</summary>
    private static string Funnel(TempFiles files, int seed)
    {
        var data = files.PathOf($"funnel-{seed}");
        var run = CliRun.Of("generate", "--contacts", "2500", "--seed", $"{seed}", "--as-of", Examples.AsOf, "--out", data);
        run.ExitCode.ShouldBe(0, run.Error);
        return data;
    }

    private static void Import(string data, string database)
    {
        foreach (var kind in new[] { "companies", "contacts", "deals", "events", "outcomes" })
        {
            var import = CliRun.Of("import", kind, Path.Combine(data, $"{kind}.jsonl"), "--db", database);
            import.ExitCode.ShouldBe(0, import.Error);
        }
    }

    private static string[] FilesOf(string data) =>
    [
        "--contacts", Path.Combine(data, "contacts.jsonl"), "--events", Path.Combine(data, "events.jsonl"),
        "--deals", Path.Combine(data, "deals.jsonl"), "--outcomes", Path.Combine(data, "outcomes.jsonl"),
    ];

    [Fact]
    public void AModelWithPointsOnTheWrongBehaviours_GetsAProposalThatRanksClearlyBetterOnAnotherFunnel()
    {
        using var files = new TempFiles();
        // Learn on one funnel, from files...
        var proposalPath = files.PathOf("review.json");
        var review = CliRun.Of(["review", "--model", Misguided, .. FilesOf(Funnel(files, seed: 1)), "--since", "30d", "--format", "json", "--out", proposalPath]);
        review.ExitCode.ShouldBe(0, review.Error);
        using var reviewed = JsonDocument.Parse(File.ReadAllText(proposalPath));
        var proposal = reviewed.RootElement.GetProperty("proposal");
        proposal.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("subject").GetString())
            .ShouldContain("pricing", "the pricing page is what converters visit, and the model gives it 1 point");
        var draft = files.Write("proposal.json", proposal.GetProperty("model").GetRawText());

        // ...and judge on another, stored, where the proposal never saw a lead.
        Import(Funnel(files, seed: 2), files.Database);
        CliRun.Of("model", "publish", Misguided, "--db", files.Database).ExitCode.ShouldBe(0);
        var backtest = CliRun.Of("model", "backtest", "--draft", draft, "--since", "30d", "--format", "json", "--db", files.Database);

        backtest.ExitCode.ShouldBe(0, backtest.Error);
        using var result = JsonDocument.Parse(backtest.Output);
        var published = result.RootElement.GetProperty("published").GetProperty("auc").GetDouble();
        var proposed = result.RootElement.GetProperty("draft").GetProperty("auc").GetDouble();
        published.ShouldBeLessThan(0.85);
        proposed.ShouldBeGreaterThan(published + 0.1, $"published AUC {published:0.000}, proposal {proposed:0.000}");
        result.RootElement.GetProperty("draft").GetProperty("precision").GetDouble()
            .ShouldBeGreaterThan(result.RootElement.GetProperty("published").GetProperty("precision").GetDouble());
    }

    [Fact]
    public void ReviewOfTheStore_WritesTheReports_SavesTheProposalAsADraft_AndBacktestsThatVersion()
    {
        using var files = new TempFiles();
        Import(Funnel(files, seed: 3), files.Database);
        CliRun.Of("model", "publish", Misguided, "--db", files.Database).ExitCode.ShouldBe(0);

        var markdown = CliRun.Of("review", "--model", "misguided", "--db", files.Database);
        var html = CliRun.Of("review", "--model", "misguided", "--format", "html", "--out", files.PathOf("review.html"), "--save-draft",
            "--proposal-out", files.PathOf("proposal.json"), "--db", files.Database);
        var backtest = CliRun.Of("model", "backtest", "--model", "misguided", "--draft", "2", "--since", "30d", "--db", files.Database);

        markdown.ExitCode.ShouldBe(0, markdown.Error);
        markdown.Output.ShouldContain("misguided");
        markdown.Output.ShouldContain("ROC-AUC");
        html.ExitCode.ShouldBe(0, html.Error);
        html.Error.ShouldContain("its proposal is draft version 2 of 'misguided'");
        var page = File.ReadAllText(files.PathOf("review.html"));
        page.ShouldStartWith("<!DOCTYPE html>", Case.Insensitive);
        page.ShouldNotContain("https://");
        var proposal = CliRun.Of("model", "validate", files.PathOf("proposal.json"));
        proposal.ExitCode.ShouldBe(0, proposal.Output);
        backtest.ExitCode.ShouldBe(0, backtest.Error);
        backtest.Output.ShouldContain("draft v2");
    }

    [Theory]
    [InlineData("--since", "a month", "--since 'a month' is not a period")]
    [InlineData("--as-of", "yesterday", "--as-of 'yesterday' is not an instant")]
    [InlineData("--mql-volume", "0", "--mql-volume 0 must be a positive number")]
    public void ABadPeriod_IsAUsageErrorThatSaysHowToWriteIt(string option, string value, string message)
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("review", "--model", "b2b-saas", option, value, "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain(message);
    }

    [Fact]
    public void AnUnknownModel_SaysSoAndExitsOne()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("review", "--model", "nope", "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("There is no model 'nope'");
    }

    [Fact]
    public void TooFewOutcomes_StillGiveTheReport_WithTheReasonThereIsNoProposal()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("review", "--model", "b2b-saas", "--format", "json", "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        using var review = JsonDocument.Parse(run.Output);
        review.RootElement.GetProperty("proposal").ValueKind.ShouldBe(JsonValueKind.Null);
        review.RootElement.GetProperty("proposalRefused").GetString()!.ShouldContain("a proposal needs at least 20 leads that converted");
        review.RootElement.GetProperty("report").GetProperty("health").GetProperty("verdict").GetString()!.ShouldStartWith("not enough outcomes");
    }

    [Fact]
    public void AnExcludedField_GetsNoTraitAndNoRule_AndItsRulesKeepTheirPoints()
    {
        using var files = new TempFiles();
        var report = files.PathOf("review.json");

        var run = CliRun.Of(["review", "--model", Misguided, .. FilesOf(Funnel(files, seed: 1)), "--since", "30d", "--format", "json", "--out", report,
            "--exclude", "industry", "--exclude", "jobTitle"]);

        run.ExitCode.ShouldBe(0, run.Error);
        using var review = JsonDocument.Parse(File.ReadAllText(report));
        var root = review.RootElement;
        foreach (var group in new[] { "lowScoreConverters", "highScoreNonConverters" })
        {
            root.GetProperty("report").GetProperty(group).GetProperty("traits").EnumerateArray()
                .Select(t => t.GetProperty("field").GetString()).ShouldNotContain(f => f == "industry" || f == "jobTitle");
        }

        var proposal = root.GetProperty("proposal").ValueKind == JsonValueKind.Object ? root.GetProperty("proposal") : root.GetProperty("unconfirmed");
        var rules = proposal.GetProperty("model").GetProperty("rules").EnumerateArray().Select(r => r.GetRawText()).ToList();
        rules.ShouldNotContain(r => r.Contains("Proposed by the review", StringComparison.Ordinal) && (r.Contains("\"industry\"", StringComparison.Ordinal) || r.Contains("\"jobTitle\"", StringComparison.Ordinal)));
        var changed = proposal.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("subject").GetString()).ToList();
        using var published = JsonDocument.Parse(File.ReadAllText(Misguided));
        foreach (var rule in published.RootElement.GetProperty("rules").EnumerateArray().Where(r => r.GetRawText().Contains("\"field\": \"jobTitle\"", StringComparison.Ordinal)))
        {
            changed.ShouldNotContain(rule.GetProperty("key").GetString(), "a rule on an excluded field keeps its points");
        }
    }

    [Fact]
    public void FilesWithoutContacts_IsAUsageError()
    {
        var run = CliRun.Of("review", "--model", Misguided, "--events", Examples.Events);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("need --contacts too");
    }
}
