using System.Text;
using LeadScore.Engine.Review;
using static LeadScore.Server.Features.Reviews.ReviewFormat;

namespace LeadScore.Server.Features.Reviews;

/// <summary>
/// The monthly review as Markdown for marketing ops: a chat message, a ticket or a wiki page. Charts
/// are text bars in code blocks so they read the same rendered or raw. Keys, ids and trait values are
/// user input: they go in code spans or are escaped, so a value cannot inject HTML or break a table.
/// </summary>
public static class ReviewMarkdown
{
    private const int BarWidth = 30;

    public static string Write(ModelReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var report = review.Report;
        var md = new StringBuilder();
        md.AppendLine($"# Score review of {Code(report.ModelKey)}").AppendLine();
        md.AppendLine($"Leads judged {Period(report.Period)}.").AppendLine();
        Health(md, report);
        Distribution(md, report);
        Deciles(md, report);
        Calibration(md, report);
        Grades(md, report);
        Thresholds(md, report);
        Rules(md, report);
        Misjudged(md, "Low-score converters", report.LowScoreConverters,
            $"converted without reaching {Code(report.LowScoreConverters.Threshold)}", "Traits they share (candidates for new rules)");
        Misjudged(md, "High-score non-converters", report.HighScoreNonConverters,
            $"reached {Code(report.HighScoreNonConverters.Threshold)} and did not convert", "Traits they share (candidates for negative rules)");
        Proposal(md, review);
        return md.ToString();
    }

    /// <summary>Two models replayed over the same leads, for a draft compared with the published model outside a review.</summary>
    public static string Write(BacktestReport backtest, string publishedLabel, string draftLabel)
    {
        ArgumentNullException.ThrowIfNull(backtest);
        var md = new StringBuilder();
        md.AppendLine($"# Backtest: {Text(draftLabel)} against {Text(publishedLabel)}").AppendLine();
        md.AppendLine($"{Count(backtest.Leads)} leads judged {Period(backtest.Period)}, {Count(backtest.Converted)} converted.").AppendLine();
        Backtest(md, backtest, publishedLabel, draftLabel);
        return md.ToString();
    }

    private static void Health(StringBuilder md, ScoreReviewReport report)
    {
        var health = report.Health;
        var (headline, detail) = Verdict(health.Verdict);
        md.AppendLine("## Health").AppendLine();
        md.AppendLine($"**Verdict: {Text(headline)}**{(detail.Length > 0 ? $" — {Text(detail)}" : string.Empty)}").AppendLine();
        md.AppendLine($"- Leads: {Count(report.Leads)}, of which {Count(report.Converted)} converted ({Percent(report.ConversionRate)})");
        md.AppendLine($"- Mean points: {Number(health.MeanPointsConverted)} for converters, {Number(health.MeanPointsNotConverted)} for the rest");
        md.AppendLine($"- ROC-AUC: {Auc(health.Auc)} ({AucMeaning})");
        md.AppendLine();
    }

    private static void Distribution(StringBuilder md, ScoreReviewReport report)
    {
        var notConverted = report.Leads - report.Converted;
        var max = report.Distribution.Select(b => Math.Max(Share(b.Converted, report.Converted), Share(b.NotConverted, notConverted))).DefaultIfEmpty(0).Max();
        md.AppendLine("## Score distribution").AppendLine();
        md.AppendLine(DistributionIntro).AppendLine();
        md.AppendLine("```text");
        foreach (var band in report.Distribution.Reverse())
        {
            md.AppendLine($"{Band(band),-8} converted      {Bar(Share(band.Converted, report.Converted), max, BarWidth),-BarWidth} {Percent(Share(band.Converted, report.Converted)),7} ({Count(band.Converted)})");
            md.AppendLine($"{string.Empty,-8} not converted  {Bar(Share(band.NotConverted, notConverted), max, BarWidth),-BarWidth} {Percent(Share(band.NotConverted, notConverted)),7} ({Count(band.NotConverted)})");
        }

        md.AppendLine("```").AppendLine();
    }

    private static void Deciles(StringBuilder md, ScoreReviewReport report)
    {
        var max = report.Deciles.Select(d => d.Lift).DefaultIfEmpty(0).Max();
        md.AppendLine("## Lift by decile").AppendLine();
        md.AppendLine(DecilesIntro(report)).AppendLine();
        md.AppendLine("```text");
        foreach (var decile in report.Deciles)
        {
            md.AppendLine($"{DecileLabel(decile),-8} {Bar(decile.Lift, max, BarWidth),-BarWidth} {Lift(decile.Lift),6}  rate {Percent(decile.Rate),7}  points {Number(decile.MinPoints)}–{Number(decile.MaxPoints)}");
        }

        md.AppendLine("```").AppendLine();
    }

    private static void Calibration(StringBuilder md, ScoreReviewReport report)
    {
        var max = report.Distribution.Select(b => b.Rate).DefaultIfEmpty(0).Max();
        md.AppendLine("## Calibration").AppendLine();
        md.AppendLine(CalibrationIntro).AppendLine();
        md.AppendLine("```text");
        foreach (var band in report.Distribution.Reverse())
        {
            md.AppendLine($"{Band(band),-8} {Bar(band.Rate, max, BarWidth),-BarWidth} {Percent(band.Rate),7}  ({Count(band.Converted)} of {Count(band.Leads)})");
        }

        md.AppendLine("```").AppendLine();
    }

    private static void Grades(StringBuilder md, ScoreReviewReport report)
    {
        md.AppendLine("## Grades").AppendLine();
        Table(md, ["Grade", "Leads", "Converted", "Rate"],
            report.Grades.Select(g => new[] { Code(g.Grade), Count(g.Leads), Count(g.Converted), Percent(g.Rate) }));
    }

    private static void Thresholds(StringBuilder md, ScoreReviewReport report)
    {
        md.AppendLine("## Thresholds").AppendLine();
        if (report.Thresholds.IsEmpty)
        {
            md.AppendLine("The model has no thresholds.").AppendLine();
            return;
        }

        md.AppendLine(ThresholdsIntro).AppendLine();
        Table(md, ["Threshold", "Points", "Volume", "Converted", "Precision", "Recall"],
            report.Thresholds.Select(t => new[] { Code(t.Key), Number(t.Points), Count(t.Volume), Count(t.Converted), Percent(t.Precision), Percent(t.Recall) }));
    }

    private static void Rules(StringBuilder md, ScoreReviewReport report)
    {
        md.AppendLine("## Rules").AppendLine();
        md.AppendLine(RulesIntro).AppendLine();
        Table(md, ["Rule", "Category", "Fires", "Rate when fires", "When not", "Lift", "Points now", "Suggested"],
            report.Rules.Select(r => new[]
            {
                Code(r.Rule), Code(r.Category), Count(r.Fires), Percent(r.RateWhenFires), Percent(r.RateWhenNot), Lift(r.Lift),
                Points(r.Points, r.PerOccurrence, r.MaxPoints), Suggested(r),
            }), textColumns: 2);
    }

    private static void Misjudged(StringBuilder md, string title, LeadGroup group, string what, string traitsTitle)
    {
        md.AppendLine($"## {title}").AppendLine();
        if (group.Count == 0)
        {
            md.AppendLine($"No lead {what}.").AppendLine();
            return;
        }

        var (shown, more) = FirstIds(group.Ids, group.Count);
        md.AppendLine($"{Count(group.Count)} {(group.Count == 1 ? "lead" : "leads")} {what}: {string.Join(", ", shown.Select(Code))}{(more > 0 ? $" and {Count(more)} more" : string.Empty)}.").AppendLine();
        if (group.Traits.IsEmpty)
        {
            md.AppendLine("No trait stands out among them.").AppendLine();
            return;
        }

        md.AppendLine($"{traitsTitle}:").AppendLine();
        Table(md, ["Trait", "Leads", "Share in group", "Share overall", "Lift"],
            group.Traits.Select(t => new[] { Code(t.Trait), Count(t.Count), Percent(t.ShareInGroup), Percent(t.ShareOverall), Lift(t.Lift) }));
    }

    private static void Proposal(StringBuilder md, ModelReview review)
    {
        md.AppendLine("## Proposal").AppendLine();
        if (!review.Warnings.IsEmpty)
        {
            md.AppendLine(ReviewWarningsIntro).AppendLine();
            foreach (var warning in review.Warnings)
            {
                md.AppendLine($"- {Text(warning)}");
            }

            md.AppendLine();
        }

        if (review.Proposal is not { } proposal)
        {
            md.AppendLine(review.Unconfirmed is null
                ? $"No proposal: {Text(review.ProposalRefused ?? "none was made.")}"
                : $"**Keep the published model.** {Text(Capitalised(review.Validation?.Verdict ?? review.ProposalRefused ?? string.Empty))}").AppendLine();
            OutOfTime(md, review.Validation);
            if (review.Unconfirmed is { ChangesAnything: true } unconfirmed)
            {
                md.AppendLine("### What it would change if more data confirms it").AppendLine();
                md.AppendLine(UnconfirmedIntro).AppendLine();
                foreach (var change in unconfirmed.Changes)
                {
                    md.AppendLine($"- {Change(change)}");
                }

                md.AppendLine();
            }

            Windows(md, review);
            return;
        }

        md.AppendLine($"{Text(Capitalised(review.Validation?.Verdict ?? string.Empty))}").AppendLine();
        md.AppendLine("### Changes").AppendLine();
        if (!proposal.ChangesAnything)
        {
            md.AppendLine("None: the published model already fits the period's outcomes.").AppendLine();
        }

        foreach (var change in proposal.Changes)
        {
            md.AppendLine($"- {Change(change)}");
        }

        if (!proposal.Warnings.IsEmpty)
        {
            md.AppendLine().AppendLine(WarningsIntro).AppendLine();
            foreach (var warning in proposal.Warnings)
            {
                md.AppendLine($"- {Text(warning.Message)}");
            }
        }

        md.AppendLine();
        OutOfTime(md, review.Validation);
        md.AppendLine("### Backtest").AppendLine();
        md.AppendLine(BacktestIntro).AppendLine();
        Backtest(md, proposal.Backtest, "the published model", "the proposal");
        Windows(md, review);
    }

    private static void OutOfTime(StringBuilder md, OutOfTimeValidation? validation)
    {
        if (validation is null || validation.Folds.IsEmpty)
        {
            return;
        }

        md.AppendLine("### Out of time").AppendLine();
        md.AppendLine(OutOfTimeIntro).AppendLine();
        Table(md, ["Fold", "Fitted on", "Judged on", "Leads", "Converted", "Published", "Proposal", "Forecast: published", "Forecast: proposal"],
            validation.Folds.Select(f => new[]
            {
                f.Kind, Period(f.Fitted), Period(f.Judged), Count(f.Leads), Count(f.Converted), PreciseAuc(f.PublishedAuc), PreciseAuc(f.ProposalAuc),
                PreciseAuc(f.ForecastPublishedAuc), PreciseAuc(f.ForecastProposalAuc),
            }), textColumns: 3);
        md.AppendLine($"- Gain in ROC-AUC: {Gain(validation.Gain)}");
        md.AppendLine($"- As a forecast: {Gain(validation.ForecastGain)}");
        md.AppendLine();
    }

    private static void Windows(StringBuilder md, ModelReview review)
    {
        if (review.WindowSuggestions.IsEmpty)
        {
            return;
        }

        md.AppendLine("### Windows and decay").AppendLine();
        md.AppendLine(WindowsIntro).AppendLine();
        Table(md, ["Rule", "Now", "Suggested", "ROC-AUC now", "Suggested ROC-AUC", "Every length tried"],
            review.WindowSuggestions.Select(w => new[] { Code(w.Rule), Text(w.Now), Text(w.Suggested), PreciseAuc(w.AucNow), PreciseAuc(w.AucSuggested), Text(w.Evidence) }),
            textColumns: 3);
    }

    private static string Change(ModelChange change)
    {
        var (verb, noun, subject, detail) = ReviewFormat.Change(change);
        return $"**{verb}** {noun} {Code(subject)}{Text(detail)}";
    }

    private static void Backtest(StringBuilder md, BacktestReport backtest, string publishedLabel, string draftLabel)
    {
        var (before, after) = (backtest.Published, backtest.Draft);
        Table(md, ["", $"{Text(Capitalised(publishedLabel))} ({Code(before.ModelKey)})", $"{Text(Capitalised(draftLabel))} ({Code(after.ModelKey)})"],
        [
            ["ROC-AUC", Auc(before.Auc), Auc(after.Auc)],
            ["MQL threshold", Text(Threshold(before.Mql, before.MqlPoints)), Text(Threshold(after.Mql, after.MqlPoints))],
            ["MQLs", Count(before.Mqls), Count(after.Mqls)],
            ["Converted MQLs", Count(before.ConvertedMqls), Count(after.ConvertedMqls)],
            ["Precision", Percent(before.Precision), Percent(after.Precision)],
            ["Recall", Percent(before.Recall), Percent(after.Recall)],
        ]);
        md.AppendLine($"- Moving in: {Moved(backtest.MovedIn, $"reach MQL under {Text(draftLabel)} only")}{IdList(backtest.MovedIn)}");
        md.AppendLine($"- Moving out: {Moved(backtest.MovedOut, $"reach MQL under {Text(publishedLabel)} only")}{IdList(backtest.MovedOut)}");
        md.AppendLine();
        if (!backtest.Lists.IsEmpty)
        {
            Table(md, ["List", $"{Text(Capitalised(publishedLabel))}", $"{Text(Capitalised(draftLabel))}", "Joining", "Leaving"],
                backtest.Lists.Select(l => new[]
                {
                    Code(l.Key), Text(ListSide(l.PublishedPoints, l.PublishedLeads, l.PublishedConverted)), Text(ListSide(l.DraftPoints, l.DraftLeads, l.DraftConverted)),
                    Count(l.Joining), Count(l.Leaving),
                }));
        }
    }

    private static string IdList(MovedLeads moved)
    {
        var (shown, more) = FirstIds(moved.Ids, moved.Count);
        return shown.Count == 0 ? "." : $": {string.Join(", ", shown.Select(Code))}{(more > 0 ? $" and {Count(more)} more" : string.Empty)}.";
    }

    /// <summary>A table whose first <paramref name="textColumns"/> columns are names (left-aligned) and the rest numbers (right-aligned).</summary>
    private static void Table(StringBuilder md, string[] headers, IEnumerable<string[]> rows, int textColumns = 1)
    {
        md.AppendLine($"| {string.Join(" | ", headers)} |");
        md.AppendLine($"|{string.Join("|", headers.Select((_, i) => i < textColumns ? " --- " : " ---: "))}|");
        foreach (var row in rows)
        {
            md.AppendLine($"| {string.Join(" | ", row)} |");
        }

        md.AppendLine();
    }

    /// <summary>
    /// User input shown as code: renderers show it literally (no HTML, no links), and a table cell
    /// survives a pipe. A value holding backticks gets a longer fence.
    /// </summary>
    private static string Code(string value)
    {
        var flat = OneLine(value).Replace("|", "\\|", StringComparison.Ordinal);
        var fence = flat.Contains('`', StringComparison.Ordinal) ? "``" : "`";
        var pad = flat.StartsWith('`') || flat.EndsWith('`') ? " " : string.Empty;
        return $"{fence}{pad}{flat}{pad}{fence}";
    }

    /// <summary>Prose that may carry user input (the engine's reasons name rules and trait values): markup characters are escaped.</summary>
    private static string Text(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in OneLine(value))
        {
            if (c is '\\' or '`' or '*' or '_' or '<' or '>' or '[' or ']' or '|' or '#')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }

    private static string OneLine(string value) => value.ReplaceLineEndings(" ");
}
