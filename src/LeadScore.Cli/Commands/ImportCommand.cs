using System.CommandLine;
using LeadScore.Cli.Import;
using LeadScore.Cli.Input;
using LeadScore.Cli.Output;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore import contacts|companies|deals|events|outcomes FILE</c>: loads a CSV or JSON Lines
/// file into the store (<c>import segment</c>, a Segment or RudderStack archive, says its own rules). Valid rows are stored even when others are rejected; every rejected row is
/// reported as <c>file:line[:column]: reason</c>. Exits 0 when nothing was rejected, 1 when some rows
/// were, 2 when the command cannot run (a missing file, a malformed --map, no database).
/// </summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        return new Command("import", """
            Loads records from a CSV file (separator detected) or JSON Lines into the store, in batches of
            1,000, each one transaction. Importing the same file again changes nothing.
            """)
        {
            Kind("contacts", """
                Creates or updates contacts: 'id', 'companyId' (optional link to a company), and any other
                column as a field. A contact whose fields change is re-scored.
                Example: leadscore import contacts crm.csv --map "E-mail=email" --map "Title=jobTitle"
                """, _ => ImportKinds.Contacts, output, error, clock),
            Kind("companies", """
                Creates or updates companies: 'id' and any other column as a field.
                Example: leadscore import companies accounts.csv
                """, _ => ImportKinds.Companies, output, error, clock),
            Kind("deals", """
                Creates or updates deals: 'id', 'contactId', 'companyId', and fields; 'amount' must be a
                number and 'expectedCloseDate' an ISO 8601 date.
                Example: leadscore import deals deals.csv
                """, _ => ImportKinds.Deals, output, error, clock),
            Kind("events", """
                Stores events and re-scores their contacts: 'id', 'contact' (or 'email'), 'type',
                'occurredAt', and 'properties' (or any other column as a property). An event id counts
                once; an unknown contact is created unless --strict.
                Example: leadscore import events events.jsonl
                """, ImportKinds.Events, output, error, clock, withStrict: true),
            Kind("outcomes", """
                Records what happened: 'record' (contact or deal, default contact), 'id', 'outcome'
                (converted for a contact, won or lost for a deal), 'occurredAt', and optional 'amount'.
                Example: leadscore import outcomes won-deals.csv
                """, _ => ImportKinds.Outcomes, output, error, clock),
            Segment(output, error, clock),
        };
    }

    private static Command Segment(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var file = new Argument<FileInfo>("file") { Description = "JSON Lines of Segment Spec messages, plain or gzip (.jsonl, .json.gz)." };
        var store = new StoreOptions();
        var command = new Command("segment", """
            Loads a Segment or RudderStack archive (what their warehouse and S3 destinations write: one
            message a line, plain or gzip) as the server's /v1/batch would: identify, group and alias update
            contacts and companies; track, page and screen are events typed by the event mapping. A message
            id counts once, so importing the file again adds nothing. Bad lines are reported and skipped;
            exits 1 only when no message could be read.
            Example: leadscore import segment segment-logs/2026/11/part-0001.json.gz --workspace acme
            """)
        {
            file,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunSegmentAsync(parse.GetValue(file)!, store, parse, output, error, clock, cancellationToken));
        return command;
    }

    private static Command Kind<T>(
        string name, string description, Func<bool, ImportKind<T>> kindFor, TextWriter output, TextWriter error, TimeProvider clock,
        bool withStrict = false)
        where T : class
    {
        var file = new Argument<FileInfo>("file") { Description = "A CSV (.csv, .tsv, .txt) or JSON Lines (.jsonl, .ndjson, .json) file." };
        var map = new Option<string[]>("--map")
        {
            HelpName = "column=field",
            Description = "Read a column as a field: column=field; repeat for more. column= skips a column.",
            DefaultValueFactory = _ => [],
        };
        var logBatches = new Option<bool>("--log-batches")
        {
            Description = "After each committed batch print 'committed through line N (M imported)' on stdout, for scripts that must know how far an import got.",
        };
        var store = new StoreOptions();
        var strict = withStrict
            ? new Option<bool>("--strict") { Description = "Reject events for contacts the store does not know instead of creating them." }
            : null;

        var command = new Command(name, description) { file, map, logBatches };
        store.AddTo(command);
        if (strict is not null)
        {
            command.Options.Add(strict);
        }

        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(file)!, parse.GetValue(map)!, kindFor(strict is not null && parse.GetValue(strict)), store, parse, parse.GetValue(logBatches),
            output, error, clock, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync<T>(
        FileInfo file, string[] mapSpecs, ImportKind<T> kind, StoreOptions options, ParseResult parse, bool logBatches,
        TextWriter output, TextWriter error, TimeProvider clock, CancellationToken cancellationToken)
        where T : class
    {
        if (!file.Exists)
        {
            error.WriteLine($"leadscore: file '{file.FullName}' does not exist.");
            return ExitCodes.UsageError;
        }

        var map = ColumnMap.Parse(mapSpecs, out var mapProblem);
        mapProblem ??= map is not null && SourceFile.ReadCsvHeader(file.FullName) is { } header ? map.CheckColumns(header) : null;
        if (mapProblem is not null)
        {
            error.WriteLine($"leadscore: {mapProblem}.");
            return ExitCodes.UsageError;
        }

        var open = await options.OpenWorkspaceAsync(parse, forWriting: true, error, clock, cancellationToken);
        if (open.Store is null)
        {
            return open.ExitCode;
        }

        await using var store = open.Store;
        var workspace = open.Workspace;

        var importer = new Importer<T>(kind, store, workspace, map!);
        var summary = await ConsoleProgress.RunAsync(error, $"importing {file.Name}",
            progress => importer.RunAsync(
                file.FullName,
                progress,
                logBatches ? LogBatch : null,
                cancellationToken));
        output.WriteLine(summary);
        return summary.Rejected == 0 ? ExitCodes.Success : ExitCodes.RowsRejected;

        void LogBatch(int line, int imported)
        {
            output.WriteLine($"committed through line {line} ({imported} imported)");
            output.Flush();
        }
    }

    private static async Task<int> RunSegmentAsync(
        FileInfo file, StoreOptions options, ParseResult parse, TextWriter output, TextWriter error, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            error.WriteLine($"leadscore: file '{file.FullName}' does not exist.");
            return ExitCodes.UsageError;
        }

        var open = await options.OpenWorkspaceAsync(parse, forWriting: true, error, clock, cancellationToken);
        if (open.Store is null)
        {
            return open.ExitCode;
        }

        await using var store = open.Store;
        var importer = new SegmentImporter(store, open.Workspace, clock);
        var summary = await ConsoleProgress.RunAsync(error, $"importing {file.Name}", progress => importer.RunAsync(file.FullName, progress, cancellationToken));
        output.WriteLine(summary);
        if (summary.Read == 0)
        {
            // Refused lines are an archive's normal business; a file in which not one line is a message is the wrong file.
            error.WriteLine($"leadscore: no Segment Spec message could be read from '{file.Name}'; it should hold JSON Lines, one message (with its \"type\") a line.");
            return ExitCodes.UserError;
        }

        return ExitCodes.Success;
    }
}
