using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using LeadScore.Engine.Parsing;

namespace LeadScore.Cli.Commands;

/// <summary><c>leadscore model validate FILE [--format text|json]</c>.</summary>
internal static class ModelCommand
{
    public static Command Create(TextWriter output, TextWriter error)
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

        return new Command("model", "Work with scoring models.") { validate };
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
