using System.CommandLine;
using LeadScore.Cli.Generation;
using LeadScore.Cli.Output;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore generate</c>: writes a seeded synthetic B2B funnel (companies, contacts, deals, events,
/// outcomes) that <c>leadscore import</c> reads, and the ground truth apart in <c>truth.csv</c>.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var contacts = new Option<int>("--contacts")
        {
            HelpName = "N",
            Description = "How many contacts (about 50 events each over 90 days).",
            DefaultValueFactory = _ => GenerationOptions.DefaultContacts,
        };
        var companies = new Option<int?>("--companies") { HelpName = "M", Description = "How many companies the contacts work at (default: contacts / 10)." };
        var days = new Option<int>("--days")
        {
            Description = "The length of the period of activity, ending at --as-of.",
            DefaultValueFactory = _ => GenerationOptions.DefaultDays,
        };
        var seed = new Option<long>("--seed")
        {
            Description = "The seed: the same seed and options give byte-identical files.",
            DefaultValueFactory = _ => GenerationOptions.DefaultSeed,
        };
        var asOf = new Option<string?>("--as-of")
        {
            HelpName = "instant",
            Description = "The end of the period, an ISO 8601 instant (default 2026-11-23T00:00:00Z); every event and outcome is before it.",
        };
        var format = new Option<string>("--format") { Description = "jsonl (default) or csv.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var outDir = new Option<DirectoryInfo>("--out")
        {
            HelpName = "folder",
            Description = "The folder to write into, created when missing; files of the same names are replaced.",
            Required = true,
        };

        var command = new Command("generate", """
            Generates a synthetic B2B funnel for demos, tests and benchmarks: companies, contacts, deals,
            events and outcomes files that 'leadscore import' reads unchanged, and truth.csv with each
            contact's true propensity to buy (0 to 1) and whether they converted, to measure how well a
            model ranks. Import the files in the order companies, contacts, deals, events, outcomes.
            Example: leadscore generate --contacts 2000 --seed 7 --out data/
            """)
        {
            contacts, companies, days, seed, asOf, format, outDir,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = GenerationOptions.TryCreate(
                parse.GetValue(contacts), parse.GetValue(companies), parse.GetValue(days), parse.GetValue(seed), parse.GetValue(asOf),
                parse.GetValue(format)!, out var problem);
            if (options is null)
            {
                error.WriteLine($"leadscore: {problem}.");
                return Task.FromResult(ExitCodes.UserError);
            }

            return RunAsync(options, parse.GetValue(outDir)!, output, error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        GenerationOptions options, DirectoryInfo folder, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var generator = new FunnelGenerator(options);
        try
        {
            Directory.CreateDirectory(folder.FullName);
            var probe = Path.Combine(folder.FullName, generator.ImportableFiles[0]);
            File.WriteAllText(probe, "");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"leadscore: cannot write into --out '{folder.FullName}': {ex.Message} Choose a folder you can write to.");
            return ExitCodes.UserError;
        }

        var summary = await ConsoleProgress.RunAsync(error, $"generating {options.Contacts:N0} contacts",
            progress => Task.Run(() => generator.Write(folder.FullName, done => progress.Report(done, options.Contacts), cancellationToken), cancellationToken));
        output.WriteLine($"{summary} into {folder.FullName}");
        output.WriteLine($"import them in this order: {string.Join(", ", generator.ImportableFiles)}; {FunnelGenerator.TruthFile} is the ground truth, not for import");
        return ExitCodes.Success;
    }
}
