using System.Text.Json;

namespace LeadScore.Cli.Tests.Generation;

public sealed class GenerateCommandTests
{
    private static readonly string[] Importable = ["companies", "contacts", "deals", "events", "outcomes"];

    [Fact]
    public void Generate_SameSeedTwice_WritesByteIdenticalFiles()
    {
        using var files = new TempFiles();

        var first = CliRun.Of("generate", "--contacts", "300", "--seed", "42", "--out", files.PathOf("a"));
        var second = CliRun.Of("generate", "--contacts", "300", "--seed", "42", "--out", files.PathOf("b"));

        first.ExitCode.ShouldBe(0, first.Error);
        second.ExitCode.ShouldBe(0, second.Error);
        foreach (var name in Importable.Select(n => n + ".jsonl").Append("truth.csv"))
        {
            File.ReadAllBytes(files.PathOf("b/" + name)).ShouldBe(File.ReadAllBytes(files.PathOf("a/" + name)), name);
        }
    }

    [Fact]
    public void Generate_OtherSeed_WritesOtherData()
    {
        using var files = new TempFiles();

        CliRun.Of("generate", "--contacts", "300", "--seed", "1", "--out", files.PathOf("a")).ExitCode.ShouldBe(0);
        CliRun.Of("generate", "--contacts", "300", "--seed", "2", "--out", files.PathOf("b")).ExitCode.ShouldBe(0);

        File.ReadAllBytes(files.PathOf("b/contacts.jsonl")).ShouldNotBe(File.ReadAllBytes(files.PathOf("a/contacts.jsonl")));
        File.ReadAllBytes(files.PathOf("b/events.jsonl")).ShouldNotBe(File.ReadAllBytes(files.PathOf("a/events.jsonl")));
    }

    [Fact]
    public void Generate_SmallFunnel_HasTheAskedSizesAndRealisticProportions()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("generate", "--contacts", "2000", "--out", files.Folder);

        run.ExitCode.ShouldBe(0, run.Error);
        var companies = JsonLines(files.PathOf("companies.jsonl"));
        var contacts = JsonLines(files.PathOf("contacts.jsonl"));
        var events = JsonLines(files.PathOf("events.jsonl"));
        var deals = JsonLines(files.PathOf("deals.jsonl"));
        var truth = File.ReadAllLines(files.PathOf("truth.csv"));
        companies.Count.ShouldBe(200);
        contacts.Count.ShouldBe(2000);
        truth[0].ShouldBe("contactId,propensity,converted");
        truth.Length.ShouldBe(2001);
        (events.Count / 2000.0).ShouldBeInRange(35, 70, "events per contact");
        var converted = truth.Skip(1).Count(l => l.EndsWith(",1", StringComparison.Ordinal)) / 2000.0;
        converted.ShouldBeInRange(0.05, 0.15);
        deals.Count.ShouldBeGreaterThan((int)(converted * 2000));
        var ids = events.Select(e => e.GetProperty("id").GetString()).ToArray();
        ids.Distinct().Count().ShouldBe(ids.Length);
        var types = events.Select(e => e.GetProperty("type").GetString()).ToHashSet();
        types.ShouldBe(
            ["email_open", "email_click", "email_reply", "email_forward", "social_share", "page_view", "site_session", "contact_request",
             "form_submit", "content_download", "webinar_registration", "webinar_attended", "free_trial_started", "demo_requested",
             "demo_attended", "unsubscribe", "email_bounce"],
            ignoreOrder: true);
        events.ShouldAllBe(e => string.CompareOrdinal(e.GetProperty("occurredAt").GetString(), "2026-11-23T00:00:00Z") < 0);
        Share(contacts, c => Text(c, "industry") is "software" or "saas" or "fintech").ShouldBeInRange(0.2, 0.45);
        Share(contacts, c => Text(c, "seniority") == "executive").ShouldBeInRange(0.03, 0.15);
        Share(contacts, c => Text(c, "country") is "US" or "CA" or "GB").ShouldBeInRange(0.5, 0.8);
        Share(contacts, c => c.TryGetProperty("budget", out _)).ShouldBeInRange(0.4, 0.6);
        Share(events, e => e.TryGetProperty("properties", out var p) && p.TryGetProperty("url", out var url)
            && url.GetString()!.Contains("/pricing", StringComparison.Ordinal)).ShouldBeInRange(0.01, 0.15);
    }

    [Theory]
    [InlineData("jsonl")]
    [InlineData("csv")]
    public void Generate_EveryFile_ImportsWithNothingRejected(string format)
    {
        using var files = new TempFiles();
        var generate = CliRun.Of("generate", "--contacts", "150", "--format", format, "--out", files.PathOf("data"));
        generate.ExitCode.ShouldBe(0, generate.Error);

        foreach (var kind in Importable)
        {
            string[] strict = kind == "events" ? ["--strict"] : [];
            var import = CliRun.Of(["import", kind, files.PathOf($"data/{kind}.{format}"), "--db", files.Database, .. strict]);

            import.ExitCode.ShouldBe(0, $"{kind}: {import.Output}{import.Error}");
            import.Output.ShouldContain(" 0 rejected");
            import.Output.ShouldNotContain("imported 0 ");
        }
    }

    [Fact]
    public void Generate_NegativeContacts_ExitsOneSayingTheRange()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("generate", "--contacts", "-5", "--out", files.Folder);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("--contacts -5 is out of range: give 1 to");
    }

    [Fact]
    public void Generate_OutUnderAFile_ExitsOneSayingToChooseAWritableFolder()
    {
        using var files = new TempFiles();
        var blocker = files.Write("not-a-folder", "x");

        var run = CliRun.Of("generate", "--contacts", "10", "--out", Path.Combine(blocker, "data"));

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("cannot write into --out");
        run.Error.ShouldContain("Choose a folder you can write to");
    }

    [Fact]
    public void Generate_BadAsOf_ExitsOneWithAnExample()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("generate", "--as-of", "yesterday", "--out", files.Folder);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("--as-of 'yesterday' is not an ISO 8601 instant such as 2026-11-23T00:00:00Z");
    }

    private static List<JsonElement> JsonLines(string path) =>
        [.. File.ReadLines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ToString() : null;

    private static double Share(List<JsonElement> items, Func<JsonElement, bool> predicate) =>
        items.Count(predicate) / (double)items.Count;
}
