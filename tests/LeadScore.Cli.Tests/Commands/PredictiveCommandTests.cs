namespace LeadScore.Cli.Tests.Commands;

public sealed class PredictiveCommandTests
{
    [Fact]
    public void Train_OnAGeneratedFunnel_SavesVersionOneAndPredictsTheOpenContacts()
    {
        using var files = new TempFiles();
        var data = Path.Combine(Path.GetDirectoryName(files.Database)!, "funnel");
        CliRun.Of("generate", "--contacts", "1500", "--days", "120", "--as-of", Examples.AsOf, "--out", data).ExitCode.ShouldBe(0);
        foreach (var kind in new[] { "companies", "contacts", "deals", "events", "outcomes" })
        {
            var import = CliRun.Of("import", kind, Path.Combine(data, $"{kind}.jsonl"), "--db", files.Database);
            import.ExitCode.ShouldBe(0, import.Error);
        }

        CliRun.Of("model", "publish", Examples.Model, "--db", files.Database).ExitCode.ShouldBe(0);
        var trained = CliRun.Of("predictive", "train", "--horizon-days", "30", "--db", files.Database);
        var status = CliRun.Of("predictive", "status", "--db", files.Database);
        var leads = CliRun.Of("leads", "--by", "probability", "--top", "5", "--db", files.Database);

        trained.ExitCode.ShouldBe(0, trained.Error);
        trained.OutputLines[0].ShouldStartWith("version 1: converts within 30 days;");
        trained.OutputLines[^1].ShouldMatch(@"^predicted [\d,]+ open contacts$");
        status.OutputLines[0].ShouldStartWith("version 1: converts within 30 days;");
        status.OutputLines.ShouldContain(line => line.StartsWith("validated time-ordered:", StringComparison.Ordinal));
        status.OutputLines.ShouldContain(line => line.StartsWith("won amount: ", StringComparison.Ordinal));
        status.OutputLines.Count(line => line.StartsWith("version ", StringComparison.Ordinal)).ShouldBe(1);
        leads.ExitCode.ShouldBe(0, leads.Error);
        leads.OutputLines[2].ShouldContain("│ chance │ priority");
        var chances = leads.OutputLines.Skip(4).Take(5)
            .Select(line => int.Parse(System.Text.RegularExpressions.Regex.Match(line, @"(\d+)% │").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        chances.ShouldBe(chances.OrderDescending().ToList());
        chances.ShouldAllBe(c => c >= 1 && c <= 99);
        var byValue = CliRun.Of("leads", "--by", "value", "--top", "3", "--db", files.Database);
        byValue.ExitCode.ShouldBe(0, byValue.Error);

        var predicted = int.Parse(System.Text.RegularExpressions.Regex.Match(trained.OutputLines[^1], @"[\d,]+").Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        var csv = files.PathOf("predictions.csv");
        var jsonl = files.PathOf("predictions.jsonl");
        var exportCsv = CliRun.Of("export", "predictions", "--out", csv, "--db", files.Database);
        var exportJsonl = CliRun.Of("export", "predictions", "--format", "jsonl", "--out", jsonl, "--db", files.Database);

        exportCsv.ExitCode.ShouldBe(0, exportCsv.Error);
        exportJsonl.ExitCode.ShouldBe(0, exportJsonl.Error);
        exportCsv.Error.ShouldContain($"wrote {predicted:N0} predictions to {csv}");
        var rows = File.ReadAllLines(csv);
        rows[0].ShouldBe("contact,percent,probability,tier,expectedAmount,expectedDays,expectedValue,raising,lowering,modelVersion,predictedAt,tierMeaning,reasons");
        rows.Length.ShouldBe(predicted + 1);
        var lines = File.ReadAllLines(jsonl).Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement).ToList();
        lines.Count.ShouldBe(predicted);
        lines.Select(l => l.GetProperty("contact").GetString()).ShouldBe(lines.Select(l => l.GetProperty("contact").GetString()).Order(StringComparer.Ordinal));
        lines.ShouldAllBe(l => Math.Abs(l.GetProperty("probability").GetDouble() * 100 - l.GetProperty("percent").GetInt32()) <= 0.5 + 1e-9);
        lines.ShouldAllBe(l => l.GetProperty("modelVersion").GetInt32() == 1);
        lines.ShouldContain(l => l.GetProperty("raising").GetArrayLength() > 0);
        lines.ShouldAllBe(l => l.GetProperty("tierMeaning").GetString()!.Contains(" of leads (", StringComparison.Ordinal));
        lines.ShouldAllBe(l => l.GetProperty("reasons").EnumerateArray().All(r => r.GetProperty("direction").GetString() == "raises"
            ? r.GetProperty("points").GetDouble() > 0 : r.GetProperty("points").GetDouble() < 0));
        lines.ShouldAllBe(l => l.GetProperty("reasons").GetArrayLength() == l.GetProperty("raising").GetArrayLength() + l.GetProperty("lowering").GetArrayLength());
        rows.Skip(1).ShouldContain(row => System.Text.RegularExpressions.Regex.IsMatch(row, @"\(\+\d+(\.\d)? pts\)"), "the CSV's reasons carry their size");
    }

    [Fact]
    public void Train_WithoutOutcomes_ExitsOneAndSaysWhatIsMissing()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("predictive", "train", "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("leadscore: ");
        CliRun.Of("predictive", "status", "--db", files.Database).Output.ShouldContain("no predictive model yet");
        var export = CliRun.Of("export", "predictions", "--out", files.PathOf("p.csv"), "--db", files.Database);
        export.ExitCode.ShouldBe(1);
        export.Error.ShouldContain("has no predictive model yet, so no predictions; train one with 'leadscore predictive train'");
        File.Exists(files.PathOf("p.csv")).ShouldBeFalse();
    }

    [Fact]
    public void Train_WithAHorizonOutOfRange_IsAUsageError()
    {
        using var files = new TempFiles();
        Examples.LoadInto(files.Database);

        var run = CliRun.Of("predictive", "train", "--horizon-days", "0", "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("horizonDays 0 is out of range: give 1 to 730 days");
    }
}
