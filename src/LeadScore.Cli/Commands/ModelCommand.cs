using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using LeadScore.Cli.Output;
using LeadScore.Engine.Parsing;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Commands;

/// <summary><c>leadscore model validate FILE [--format text|json]</c> and <c>leadscore model publish FILE [--db ...]</c>.</summary>
internal static class ModelCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var file = new Argument<FileInfo>("file") { Description = "The model JSON file." };
        var format = new Option<string>("--format") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");

        var validate = new Command("validate", """
            Checks a scoring model: errors (with their JSON path) make it unusable, warnings name classic
            lead scoring mistakes. Exits 0 when there is no error, 1 otherwise.
            Example: leadscore model validate examples/models/balanced.json --format json
            """)
        {
            file,
            format,
        };
        validate.SetAction(parse => Validate(parse.GetValue(file)!, parse.GetValue(format)!, output, error));

        return new Command("model", "Work with scoring models.") { validate, CreatePublish(output, error, clock), BacktestCommand.Create(output, error, clock) };
    }

    private static Command CreatePublish(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var file = new Argument<FileInfo>("file") { Description = "The model JSON file." };
        var store = new StoreOptions();
        var publish = new Command("publish", """
            Saves a model as a new version, publishes it (retiring the version published before it) and
            waits while every record of its target is re-scored. Exits 1 when the model has errors.
            Example: leadscore model publish examples/models/b2b-saas.json --db leadscore.db
            """)
        {
            file,
        };
        store.AddTo(publish);
        publish.SetAction((parse, cancellationToken) => PublishAsync(parse.GetValue(file)!, store, parse, output, error, clock, cancellationToken));
        return publish;
    }

    private static async Task<int> PublishAsync(
        FileInfo file, StoreOptions options, ParseResult parse, TextWriter output, TextWriter error, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            error.WriteLine($"leadscore: model file '{file.FullName}' does not exist.");
            return ExitCodes.UsageError;
        }

        var open = await options.OpenWorkspaceAsync(parse, forWriting: true, error, clock, cancellationToken);
        if (open.Store is null)
        {
            return open.ExitCode;
        }

        await using var store = open.Store;
        var workspace = open.Workspace;

        var saved = await store.Models.SaveModelAsync(workspace, await File.ReadAllTextAsync(file.FullName, cancellationToken), cancellationToken);
        if (saved.Version is not { } version)
        {
            WriteText(file.Name, saved.Validation, error);
            return ExitCodes.UserError;
        }

        foreach (var warning in saved.Validation.Warnings)
        {
            error.WriteLine($"warning {warning.Path}: {warning.Message} [{warning.Code}]");
        }

        var published = await store.Models.PublishModelAsync(workspace, version.Key, version.Version, cancellationToken);
        if (!published.Succeeded)
        {
            error.WriteLine($"leadscore: cannot publish {version.Key} v{version.Version}: {published.Error}");
            return ExitCodes.UserError;
        }

        var job = await ConsoleProgress.RunAsync(error, $"re-scoring {version.Key} v{version.Version}", progress =>
            store.Models.RunJobAsync(workspace, published.Value.Id, new ReportingProgress<JobStatus>(s => progress.Report(s.Done, s.Total)), cancellationToken));
        if (job.State != JobState.Completed)
        {
            error.WriteLine($"leadscore: published {version.Key} v{version.Version}, but its re-score job {job.Id} stopped ({job.State}) "
                + $"after {job.Done} of {job.Total} records.");
            return ExitCodes.InternalError;
        }

        output.WriteLine($"published {version.Key} v{version.Version}: re-scored {job.Done} records");
        return ExitCodes.Success;
    }

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>, which posts to a synchronisation context.</summary>
    internal sealed class ReportingProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static int Validate(FileInfo file, string format, TextWriter output, TextWriter error)
    {
        if (!file.Exists)
        {
            error.WriteLine($"leadscore: model file '{file.FullName}' does not exist.");
            return ExitCodes.UserError;
        }

        var validation = ScoringModelJson.Parse(File.ReadAllText(file.FullName));
        if (format == "json")
        {
            WriteJson(validation, output);
        }
        else
        {
            WriteText(file.Name, validation, output);
        }

        return validation.IsValid ? ExitCodes.Success : ExitCodes.UserError;
    }

    private static void WriteText(string name, ModelValidation validation, TextWriter output)
    {
        foreach (var diagnostic in validation.Errors)
        {
            output.WriteLine($"error   {diagnostic.Path}: {diagnostic.Message} [{diagnostic.Code}]");
        }

        foreach (var diagnostic in validation.Warnings)
        {
            output.WriteLine($"warning {diagnostic.Path}: {diagnostic.Message} [{diagnostic.Code}]");
        }

        var verdict = validation.IsValid ? "valid" : "invalid";
        output.WriteLine($"{name}: {verdict}, {validation.Errors.Length} error(s), {validation.Warnings.Length} warning(s)");
    }

    private static void WriteJson(ModelValidation validation, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            WriteList(writer, "errors", validation.Errors);
            WriteList(writer, "warnings", validation.Warnings);
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IEnumerable<ModelDiagnostic> diagnostics)
    {
        writer.WriteStartArray(name);
        foreach (var diagnostic in diagnostics)
        {
            writer.WriteStartObject();
            writer.WriteString("path", diagnostic.Path);
            writer.WriteString("code", diagnostic.Code);
            writer.WriteString("message", diagnostic.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
