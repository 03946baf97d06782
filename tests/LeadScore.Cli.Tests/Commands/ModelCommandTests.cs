using System.Text.Json;

namespace LeadScore.Cli.Tests.Commands;

public sealed class ModelCommandTests
{
    [Theory]
    [InlineData("examples/models/b2b-saas.json")]
    [InlineData("examples/models/balanced.json")]
    [InlineData("examples/models/simple-weights.json")]
    public void Validate_ExampleModel_HasNoErrors(string model)
    {
        var run = CliRun.Of("model", "validate", Repository.File(model));

        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        run.Output.ShouldContain("valid, 0 error(s)");
    }

    [Fact]
    public void Validate_BalancedExample_HasNoWarnings()
    {
        var run = CliRun.Of("model", "validate", Repository.File("examples/models/balanced.json"), "--format", "json");

        using var report = JsonDocument.Parse(run.Output);
        report.RootElement.GetProperty("warnings").GetArrayLength().ShouldBe(0, run.Output);
    }

    [Fact]
    public void Validate_UnknownCategory_ExitsOneWithPathAndCode()
    {
        using var files = new TempFiles();
        var model = files.Write("bad.json", """
            {"key": "m", "categories": [{"key": "fit", "dimension": "fit", "budget": 100}],
             "rules": [{"key": "r", "category": "fitt", "points": 5, "when": {"field": "country", "eq": "US"}}]}
            """);

        var run = CliRun.Of("model", "validate", model, "--format", "json");

        run.ExitCode.ShouldBe(1);
        using var report = JsonDocument.Parse(run.Output);
        var error = report.RootElement.GetProperty("errors")[0];
        error.GetProperty("path").GetString().ShouldBe("$.rules[0].category");
        error.GetProperty("code").GetString().ShouldBe("unknown-category");
        error.GetProperty("message").GetString()!.ShouldContain("fitt");
    }

    [Fact]
    public void Validate_MalformedJson_ReportsLineAndColumn()
    {
        using var files = new TempFiles();
        var model = files.Write("broken.json", "{\n  \"key\": \"m\",\n  \"categories\": [\n}");

        var run = CliRun.Of("model", "validate", model);

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("malformed-json");
        run.Output.ShouldContain("line 4");
    }

    [Fact]
    public void Validate_MissingFile_ExitsOneAndSaysWhichFile()
    {
        var run = CliRun.Of("model", "validate", "/nonexistent/model.json");

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("/nonexistent/model.json");
    }

    [Fact]
    public void Validate_TextFormat_ListsWarningsWithTheirCodes()
    {
        var run = CliRun.Of("model", "validate", Repository.File("examples/models/simple-weights.json"));

        run.ExitCode.ShouldBe(0);
        run.Output.ShouldContain("[single-dimension]");
        run.Output.ShouldContain("[too-few-rules]");
    }

    [Fact]
    public void Publish_ExampleModelOverImportedContacts_RescoresThemAll()
    {
        using var files = new TempFiles();
        CliRun.Of("import", "contacts", Examples.Contacts, "--db", files.Database).ExitCode.ShouldBe(0);

        var run = CliRun.Of("model", "publish", Examples.Model, "--db", files.Database);

        run.ExitCode.ShouldBe(0, run.Error);
        run.OutputLines.ShouldBe(["published b2b-saas v1: re-scored 4 records"]);
    }

    [Fact]
    public void Publish_InvalidModel_ExitsOneWithTheErrorsAndPublishesNothing()
    {
        using var files = new TempFiles();
        var model = files.Write("bad.json", """
            {"key": "m", "categories": [{"key": "fit", "dimension": "fit", "budget": 100}],
             "rules": [{"key": "r", "category": "fitt", "points": 5, "when": {"field": "country", "eq": "US"}}]}
            """);

        var run = CliRun.Of("model", "publish", model, "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("error   $.rules[0].category");
        run.Error.ShouldContain("[unknown-category]");
        CliRun.Of("scores", "--model", "m", "--db", files.Database).Error.ShouldContain("no model 'm'");
    }

    [Fact]
    public void Publish_MissingFile_ExitsOne()
    {
        using var files = new TempFiles();

        var run = CliRun.Of("model", "publish", files.PathOf("nothing.json"), "--db", files.Database);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("nothing.json");
    }
}
