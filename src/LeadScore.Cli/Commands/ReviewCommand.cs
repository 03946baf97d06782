using System.CommandLine;
using System.Globalization;
using LeadScore.Cli.Import;
using LeadScore.Cli.Output;
using LeadScore.Engine.Review;
using LeadScore.Engine.Values;
using LeadScore.Server.Features.Reviews;
using LeadScore.Storage;

namespace LeadScore.Cli.Commands;

/// <summary>
/// <c>leadscore review</c>: the monthly review of a published model against the outcomes of a period,
/// from the store or from files, as Markdown, JSON or one HTML file, with a proposed better model.
/// </summary>
internal static class ReviewCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var model = new Option<string>("--model") { Description = "The published model's key; with --contacts, a model JSON file.", Required = true };
        var since = new Option<string>("--since") { Description = "The period: 30d (default), 12w, 90d...", DefaultValueFactory = _ => "30d" };
        var asOf = new Option<string?>("--as-of") { Description = "End of the period, an ISO 8601 instant (default: now)." };
        var format = new Option<string>("--format") { Description = "md (default), json or html (one self-contained file).", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "json", "html");
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the report to this file instead of standard output." };
        var proposalOut = new Option<FileInfo?>("--proposal-out") { Description = "Also write the proposed model's JSON to this file (ready for 'model backtest --draft' or 'model publish')." };
        var saveDraft = new Option<bool>("--save-draft") { Description = "Store the review and save its proposal as a draft version of the model (store only)." };
        var mqlVolume = new Option<int?>("--mql-volume") { Description = "Set the proposal's MQL threshold for about this many MQLs in the period (default: the best F1)." };
        var exclude = new Option<string[]>("--exclude")
        {
            HelpName = "FIELD",
            Description = "A field the review leaves out, as training does: no trait or rule is proposed on it; repeat for more (a trailing * matches a prefix).",
            DefaultValueFactory = _ => [],
        };
        var contacts = new Option<FileInfo?>("--contacts") { Description = "Review on files: the contacts (CSV or JSON Lines, as 'leadscore import' reads them)." };
        var events = new Option<FileInfo?>("--events") { Description = "Review on files: the events." };
        var deals = new Option<FileInfo?>("--deals") { Description = "Review on files: the deals, when outcomes name won deals." };
        var outcomes = new Option<FileInfo?>("--outcomes") { Description = "Review on files: the outcomes (conversions, won deals)." };
        var store = new StoreOptions();
        var command = new Command("review", """
            Compares a model's scores with what happened in a period: each lead is scored as it was at the moment
            it converted (or at the end of the period), then health, conversion by grade and decile, thresholds,
            rules, the leads the score misjudged, and a proposed model with a backtest beside the published one.
            Example: leadscore review --model balanced --since 30d --db leadscore.db --format html --out review.html
                     leadscore review --model model.json --contacts contacts.jsonl --events events.jsonl --outcomes outcomes.jsonl
            """)
        {
            model, since, asOf, format, outFile, proposalOut, saveDraft, mqlVolume, exclude, contacts, events, deals, outcomes,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryPeriod(parse.GetValue(since)!, parse.GetValue(asOf), error, out var length, out var until))
            {
                return ExitCodes.UsageError;
            }

            if (parse.GetValue(mqlVolume) is <= 0 and var volume)
            {
                error.WriteLine($"leadscore: --mql-volume {volume} must be a positive number of MQLs for the period.");
                return ExitCodes.UsageError;
            }

            var request = new Request(parse.GetValue(model)!, length, until, parse.GetValue(format)!, parse.GetValue(outFile),
                parse.GetValue(proposalOut), new ProposalOptions { MqlVolume = parse.GetValue(mqlVolume), ExcludedFields = parse.GetValue(exclude) ?? [] }, parse.GetValue(saveDraft));
            if (parse.GetValue(contacts) is { } contactsFile)
            {
                if (request.SaveDraft)
                {
                    error.WriteLine("leadscore: --save-draft stores the proposal in a database; on files, write the proposal with --proposal-out FILE instead.");
                    return ExitCodes.UsageError;
                }

                return await OnFilesAsync(request, new ReviewFiles(contactsFile, parse.GetValue(events), parse.GetValue(deals), parse.GetValue(outcomes)), output, error, clock, cancellationToken);
            }

            if (parse.GetValue(events) is not null || parse.GetValue(deals) is not null || parse.GetValue(outcomes) is not null)
            {
                error.WriteLine("leadscore: --events, --deals and --outcomes review files and need --contacts too.");
                return ExitCodes.UsageError;
            }

            return await store.RunAsync(parse, forWriting: request.SaveDraft, error, clock, cancellationToken,
                (opened, workspace) => ReviewAsync(opened, workspace, request, output, error, clock, cancellationToken));
        });
        return command;
    }

    private sealed record ReviewFiles(FileInfo Contacts, FileInfo? Events, FileInfo? Deals, FileInfo? Outcomes);

    private sealed record Request(
        string Model, TimeSpan Since, DateTimeOffset? Until, string Format, FileInfo? Out, FileInfo? ProposalOut, ProposalOptions Options, bool SaveDraft);

    /// <summary>Reads <c>--since</c> (a duration such as 30d) and <c>--as-of</c> (an instant), or says what is wrong with them.</summary>
    internal static bool TryPeriod(string since, string? asOf, TextWriter error, out TimeSpan length, out DateTimeOffset? until)
    {
        (length, until) = (default, null);
        if (!Duration.TryParse(since, out var duration))
        {
            error.WriteLine($"leadscore: --since '{since}' is not a period: write a whole number and a unit, such as 30d, 12w or 72h.");
            return false;
        }

        length = duration.Length;
        if (asOf is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            error.WriteLine($"leadscore: --as-of '{asOf}' is not an instant: write ISO 8601, such as 2026-11-23T00:00:00Z.");
            return false;
        }

        until = instant.ToUniversalTime();
        return true;
    }

    private static async Task<int> ReviewAsync(
        ILeadStore store, WorkspaceId workspace, Request request, TextWriter output, TextWriter error, TimeProvider clock, CancellationToken cancellationToken)
    {
        var reviews = new ModelReviews(store, clock);
        var run = await reviews.ReviewAsync(workspace, request.Model, request.Since, request.Until, request.Options, cancellationToken);
        if (run.Review is not { } review)
        {
            error.WriteLine($"leadscore: {run.Problem}");
            return ExitCodes.UserError;
        }

        if (request.SaveDraft)
        {
            var stored = await reviews.StoreAsync(workspace, run, saveDraft: true, cancellationToken: cancellationToken);
            error.WriteLine(stored?.DraftVersion is { } draft
                ? $"stored review {stored.Id}; its proposal is draft version {draft} of '{review.Report.ModelKey}' (publish it with: leadscore model publish, or from the dashboard)"
                : $"stored review {stored?.Id}; no draft saved: {review.ProposalRefused ?? "the proposal changes nothing"}");
        }

        if (request.ProposalOut is { } proposalFile)
        {
            if (review.Proposal is { } proposal)
            {
                await File.WriteAllTextAsync(proposalFile.FullName, proposal.Json, cancellationToken);
            }
            else
            {
                error.WriteLine($"leadscore: no proposal to write to {proposalFile.Name}: {review.ProposalRefused}");
            }
        }

        await WriteAsync(review, request, output, cancellationToken);
        return ExitCodes.Success;
    }

    private static async Task WriteAsync(ModelReview review, Request request, TextWriter output, CancellationToken cancellationToken)
    {
        var text = request.Format switch
        {
            "json" => ReviewJson.Write(review),
            "html" => ReviewHtml.Write(review),
            _ => ReviewMarkdown.Write(review),
        };
        if (request.Out is { } file)
        {
            await File.WriteAllTextAsync(file.FullName, text, cancellationToken);
            output.WriteLine($"wrote {file.FullName}");
        }
        else
        {
            output.WriteLine(text);
        }
    }

    /// <summary>
    /// Files are imported into a temporary SQLite store, with the store's own validation (every rejected
    /// row reported), and reviewed there: the same code and the same numbers as a review of a database.
    /// </summary>
    private static async Task<int> OnFilesAsync(
        Request request, ReviewFiles files, TextWriter output, TextWriter error, TimeProvider clock, CancellationToken cancellationToken)
    {
        var model = new FileInfo(request.Model);
        foreach (var file in new[] { model, files.Contacts, files.Events, files.Deals, files.Outcomes }.OfType<FileInfo>())
        {
            if (!file.Exists)
            {
                error.WriteLine($"leadscore: file '{file.FullName}' does not exist{(file == model ? "; with --contacts, --model names a model JSON file" : "")}.");
                return ExitCodes.UsageError;
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"leadscore-review-{Guid.NewGuid():N}.db");
        try
        {
            await using var store = await LeadStore.OpenAsync(path, clock, cancellationToken);
            var workspace = WorkspaceId.Default;
            var saved = await store.Models.SaveModelAsync(workspace, await File.ReadAllTextAsync(model.FullName, cancellationToken), cancellationToken);
            if (saved.Version is not { } version)
            {
                foreach (var problem in saved.Validation.Errors)
                {
                    error.WriteLine($"leadscore: {model.Name} {problem.Path}: {problem.Message}");
                }

                return ExitCodes.UserError;
            }

            // Imported before the model is published, so no import re-scores anything: the review replays
            // every lead from its events, and a real-time score per imported batch would only cost time.
            await ImportAsync(ImportKinds.Contacts, store, workspace, files.Contacts, error, cancellationToken);
            if (files.Events is { } events)
            {
                await ImportAsync(ImportKinds.Events(strict: false), store, workspace, events, error, cancellationToken);
            }

            if (files.Deals is { } deals)
            {
                await ImportAsync(ImportKinds.Deals, store, workspace, deals, error, cancellationToken);
            }

            if (files.Outcomes is { } outcomes)
            {
                await ImportAsync(ImportKinds.Outcomes, store, workspace, outcomes, error, cancellationToken);
            }

            // A review judges the published version; the re-score job this queues is never run, as nobody reads the stored scores.
            await store.Models.PublishModelAsync(workspace, version.Key, version.Version, cancellationToken);
            return await ReviewAsync(store, workspace, request with { Model = version.Key }, output, error, clock, cancellationToken);
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task ImportAsync<T>(ImportKind<T> kind, ILeadStore store, WorkspaceId workspace, FileInfo file, TextWriter error, CancellationToken cancellationToken)
        where T : class
    {
        var importer = new Importer<T>(kind, store, workspace, ColumnMap.Parse([], out _)!);
        var summary = await ConsoleProgress.RunAsync(error, $"reading {file.Name}", progress => importer.RunAsync(file.FullName, progress, null, cancellationToken));
        if (summary.Rejected > 0)
        {
            error.WriteLine($"{file.Name}: {summary}");
        }
    }
}
