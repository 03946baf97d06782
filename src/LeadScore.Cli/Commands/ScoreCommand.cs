using System.CommandLine;
using LeadScore.Cli.Input;
using LeadScore.Cli.Output;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore score</c>: scores contacts from files with no database. Every input line is checked
/// before anything is written, so a bad file produces a list of problems and no output at all.
/// </summary>
internal static class ScoreCommand
{
    private const int MaxErrorsShown = 50;

    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var model = new Option<FileInfo>("--model") { Description = "The scoring model (JSON).", Required = true };
        var contacts = new Option<FileInfo>("--contacts") { Description = "Contacts as JSON Lines or CSV: an id and any fields.", Required = true };
        var events = new Option<FileInfo?>("--events") { Description = "Events as JSON Lines or CSV: id, contact, type, occurredAt, properties." };
        var asOf = new Option<string?>("--as-of") { Description = "Score as of this ISO 8601 instant (default: now). Later events are ignored." };
        var format = new Option<string>("--format") { Description = "jsonl (default) or csv.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var outFile = new Option<FileInfo?>("--out") { Description = "Write to this file (replaced only when scoring succeeds) instead of standard output." };

        var command = new Command("score", """
            Scores contacts from files, one output line per contact, with the explanation.
            Example: leadscore score --model examples/models/b2b-saas.json --contacts contacts.jsonl --events events.jsonl --as-of 2026-11-23T00:00:00Z
            """)
        {
            model, contacts, events, asOf, format, outFile,
        };
        command.SetAction(parse => Run(
            new ScoreRequest(parse.GetValue(model)!, parse.GetValue(contacts)!, parse.GetValue(events), parse.GetValue(asOf),
                parse.GetValue(format)!, parse.GetValue(outFile)),
            output, error, clock));
        return command;
    }

    private sealed record ScoreRequest(FileInfo Model, FileInfo Contacts, FileInfo? Events, string? AsOf, string Format, FileInfo? Out);

    private static int Run(ScoreRequest request, TextWriter output, TextWriter error, TimeProvider clock)
    {
        foreach (var file in new[] { request.Model, request.Contacts, request.Events }.OfType<FileInfo>())
        {
            if (!file.Exists)
            {
                error.WriteLine($"leadscore: file '{file.FullName}' does not exist.");
                return ExitCodes.UserError;
            }
        }

        var validation = ScoringModelJson.Parse(File.ReadAllText(request.Model.FullName));
        if (!validation.IsValid)
        {
            error.WriteLine($"leadscore: the model {request.Model.Name} has errors; run 'leadscore model validate {request.Model.Name}' for details:");
            foreach (var diagnostic in validation.Errors)
            {
                error.WriteLine($"  {diagnostic}");
            }

            return ExitCodes.UserError;
        }

        if (validation.Model.Target != RecordKind.Contact)
        {
            error.WriteLine($"leadscore: model '{validation.Model.Key}' targets {validation.Model.Target.ToString().ToLowerInvariant()}s; "
                + "offline scoring reads contacts, so it scores contact models only. Score deal and company models from the store.");
            return ExitCodes.UserError;
        }

        var asOf = clock.GetUtcNow();
        if (request.AsOf is not null && !IsoDate.TryParse(request.AsOf, out asOf))
        {
            error.WriteLine($"leadscore: --as-of '{request.AsOf}' is not an ISO 8601 instant such as 2026-11-23T00:00:00Z.");
            return ExitCodes.UserError;
        }

        var errors = new List<InputError>();
        var contacts = ContactFile.Read(request.Contacts.FullName, errors);
        var events = request.Events is null ? [] : EventFile.Read(request.Events.FullName, errors);
        var eventsByContact = GroupByContact(contacts, events, request.Events?.Name, errors);
        if (errors.Count > 0)
        {
            ReportErrors(errors, error);
            return ExitCodes.UserError;
        }

        var compiled = CompiledModel.Compile(validation.Model);
        var cards = contacts.Select(c => compiled.Score(
            ScoringSubject.ForContact(c.Id, c.Fields, eventsByContact.TryGetValue(c.Id, out var own) ? own : []), asOf));
        var categories = validation.Model.Categories.Select(c => c.Key).ToArray();
        return Write(cards, categories, request, output);
    }

    private static Dictionary<string, List<ActivityEvent>> GroupByContact(
        List<ContactRecord> contacts, List<EventRecord> events, string? eventsFile, List<InputError> errors)
    {
        var byContact = contacts.ToDictionary(c => c.Id, _ => new List<ActivityEvent>(), StringComparer.Ordinal);
        foreach (var record in events)
        {
            if (byContact.TryGetValue(record.Contact, out var list))
            {
                list.Add(record.Event);
            }
            else
            {
                errors.Add(new InputError(eventsFile!, record.Line, $"contact '{record.Contact}' is not in the contacts file"));
            }
        }

        return byContact;
    }

    private static void ReportErrors(List<InputError> errors, TextWriter error)
    {
        foreach (var problem in errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).Take(MaxErrorsShown))
        {
            error.WriteLine(problem);
        }

        if (errors.Count > MaxErrorsShown)
        {
            error.WriteLine($"... and {errors.Count - MaxErrorsShown} more.");
        }

        error.WriteLine($"leadscore: {errors.Count} bad line(s); nothing was scored. Fix them and run again.");
    }

    private static int Write(IEnumerable<ScoreCard> cards, string[] categories, ScoreRequest request, TextWriter output)
    {
        using var writer = ScoreWriter.Open(request.Format, "contact", categories, request.Out, output);
        foreach (var card in cards)
        {
            writer.Write(card);
        }

        writer.Commit();
        return ExitCodes.Success;
    }
}
