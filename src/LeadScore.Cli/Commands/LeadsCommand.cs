using System.CommandLine;
using System.Globalization;
using LeadScore.Engine.Scoring;
using LeadScore.Storage.Records;
using Spectre.Console;

namespace LeadScore.Cli.Commands;

/// <summary><c>leadscore leads</c>: the ranked list sales works from, as a table in the terminal.</summary>
internal static class LeadsCommand
{
    private static readonly string[] PredictionColumns = ["chance", "priority"];

    private static readonly string[] StatusColumn = ["status"];

    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var model = new Option<string?>("--model") { Description = "The model key; may be left out when one model is published." };
        var top = new Option<int>("--top") { Description = "How many leads to show (1 to 1,000).", DefaultValueFactory = _ => 20 };
        var grade = new Option<string?>("--grade") { Description = "Only leads of this grade, such as A." };
        var threshold = new Option<string?>("--threshold") { Description = "Only leads that reached this threshold, such as mql." };
        var segment = new Option<int?>("--segment") { Description = "Only leads of this segment digit (the thousands digit of a composite score)." };
        var tier = new Option<string?>("--tier") { Description = "Only contacts of this predicted priority tier: very-high, high, medium or low." };
        var by = new Option<string>("--by")
        {
            Description = "Rank by priority (default: qualified first, then points, then probability), score (the composite number), "
                + "probability (predicted chance to convert) or value (expected value).",
            DefaultValueFactory = _ => "priority",
        };
        by.AcceptOnlyFromAmong("priority", "score", "probability", "value");
        var status = new Option<string>("--status")
        {
            Description = $"Which leads: open (default: not converted, won, lost or disqualified), all, or a comma-separated list of {string.Join(", ", LeadStatuses.Names)}.",
            DefaultValueFactory = _ => "open",
        };
        var store = new StoreOptions();
        var command = new Command("leads", """
            Prints whom sales should call first under a published model: open leads only (customers, closed
            deals and disqualified leads are left out unless --status asks for them), qualified leads first,
            then by points, then by predicted chance (or by --by score, probability or value). Predicted
            chance and tier show once a predictive model is trained ('leadscore predictive train').
            Example: leadscore leads --model balanced --threshold mql --top 20
            """)
        {
            model, top, status, grade, threshold, segment, tier, by,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var limit = parse.GetValue(top);
            if (limit is < 1 or > LeadQuery.MaxLimit)
            {
                error.WriteLine($"leadscore: --top {limit} must be between 1 and {LeadQuery.MaxLimit:N0}.");
                return ExitCodes.UserError;
            }

            var wantedTier = PriorityTiers.Named(parse.GetValue(tier));
            if (parse.GetValue(tier) is not null && wantedTier is null)
            {
                error.WriteLine($"leadscore: --tier '{parse.GetValue(tier)}' is not a priority tier: use very-high, high, medium or low.");
                return ExitCodes.UserError;
            }

            if (LeadStatuses.FilterNamed(parse.GetValue(status)) is not { } statuses)
            {
                error.WriteLine($"leadscore: --status '{parse.GetValue(status)}' is not all or a comma-separated list of {string.Join(", ", LeadStatuses.Names)}.");
                return ExitCodes.UserError;
            }

            var open = await store.OpenWorkspaceAsync(parse, forWriting: false, error, clock, cancellationToken);
            if (open.Store is null)
            {
                return open.ExitCode;
            }

            await using var opened = open.Store;
            var workspace = open.Workspace;

            var versions = await opened.Models.GetModelVersionsAsync(workspace, null, cancellationToken);
            if (ScoresCommand.PickModel(versions, parse.GetValue(model), workspace, opened.Description, out var problem) is not { } picked)
            {
                error.WriteLine($"leadscore: {problem}");
                return ExitCodes.UserError;
            }

            var query = new LeadQuery(picked.Key)
            {
                Limit = limit,
                Grade = parse.GetValue(grade),
                Threshold = parse.GetValue(threshold),
                Segment = parse.GetValue(segment),
                Tier = wantedTier,
                Statuses = statuses,
                Sort = parse.GetValue(by) switch
                {
                    "score" => LeadSort.ScoreDescending,
                    "probability" => LeadSort.ProbabilityDescending,
                    "value" => LeadSort.ExpectedValueDescending,
                    _ => LeadSort.Priority,
                },
            };
            var page = await opened.Leads.ListLeadsAsync(workspace, query, cancellationToken);
            if (!page.Succeeded)
            {
                error.WriteLine($"leadscore: {page.Error.Message}");
                return ExitCodes.UserError;
            }

            var table = new Table().Title($"{picked.Key} v{picked.Version}: top {page.Value.Items.Count} {picked.Target.ToString().ToLowerInvariant()}s");
            var predicted = page.Value.Items.Any(l => l.Prediction is not null);
            var mixed = statuses.Count > 1 || !statuses.Contains(LeadStatus.Open);
            string[] columns = ["#", "id", "name", "title", "score", "grade", "reached", "qualified", .. mixed ? StatusColumn : [], .. predicted ? PredictionColumns : []];
            foreach (var column in columns)
            {
                table.AddColumn(column is "#" or "score" or "chance" ? new TableColumn(column).RightAligned() : new TableColumn(column));
            }

            var rank = 0;
            foreach (var lead in page.Value.Items)
            {
                var record = await opened.Records.GetRecordAsync(workspace, lead.Kind, lead.RecordId, cancellationToken);
                string Field(params string[] names) =>
                    names.Select(n => record?.Fields.GetValueOrDefault(n)).FirstOrDefault(v => v is { IsMissing: false })?.Text ?? "";
                var name = string.Join(' ', new[] { Field("firstName"), Field("lastName") }.Where(n => n.Length > 0));
                string[] cells =
                [
                    (++rank).ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(lead.RecordId),
                    Markup.Escape(name.Length > 0 ? name : Field("name", "email")),
                    Markup.Escape(Field("jobTitle", "title", "stage")),
                    lead.Score.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(lead.Grade ?? ""),
                    Markup.Escape(string.Join(", ", lead.Thresholds)),
                    lead.DisqualifiedBy is { } reason ? Markup.Escape($"no ({reason})") : lead.Qualified ? "yes" : "no",
                    .. mixed ? new[] { lead.Status is { } s ? LeadStatuses.Name(s) : "" } : [],
                    .. predicted ? new[] { lead.Prediction is { } p ? $"{p.Percent}%" : "", lead.Prediction is { } q ? PriorityTiers.Name(q.Tier) : "" } : [],
                ];
                table.AddRow(cells);
            }

            TableConsole(output).Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    // The table goes to the command's own writer; piped or captured output gets no colour codes and a wide line.
    private static IAnsiConsole TableConsole(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
