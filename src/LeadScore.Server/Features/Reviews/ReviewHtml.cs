using System.Text;
using LeadScore.Engine.Review;
using static LeadScore.Server.Features.Reviews.ReviewFormat;

namespace LeadScore.Server.Features.Reviews;

/// <summary>
/// The monthly review as one self-contained HTML5 file: inline style, inline SVG charts, no script and
/// no external URL (a content security policy forbids loading anything), so it can be mailed, archived
/// or opened offline. Every string from the data is HTML-encoded: model keys, ids and trait values are
/// user input.
/// </summary>
public static class ReviewHtml
{
    public static string Write(ModelReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var report = review.Report;
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("""<html lang="en">""");
        html.AppendLine("<head>");
        html.AppendLine("""<meta charset="utf-8">""");
        html.AppendLine("""<meta name="viewport" content="width=device-width, initial-scale=1">""");
        html.AppendLine("""<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">""");
        html.AppendLine($"<title>Score review of {E(report.ModelKey)}, {E(Period(report.Period))}</title>");
        html.AppendLine($"<style>{Style}</style>");
        html.AppendLine("</head>");
        html.AppendLine("<body>");
        html.AppendLine("<main>");
        html.AppendLine($"<header><h1>Score review of <code>{E(report.ModelKey)}</code></h1><p class=\"muted\">Leads judged {E(Period(report.Period))}.</p></header>");
        Health(html, report);
        Chart(html, "Score distribution", DistributionIntro, ReviewCharts.Distribution(report));
        Chart(html, "Lift by decile", DecilesIntro(report), ReviewCharts.Lift(report));
        Chart(html, "Calibration", CalibrationIntro, ReviewCharts.Calibration(report));
        Grades(html, report);
        Thresholds(html, report);
        Rules(html, report);
        Misjudged(html, "Low-score converters", report.LowScoreConverters,
            $"converted without reaching {report.LowScoreConverters.Threshold}", "Traits they share (candidates for new rules)");
        Misjudged(html, "High-score non-converters", report.HighScoreNonConverters,
            $"reached {report.HighScoreNonConverters.Threshold} and did not convert", "Traits they share (candidates for negative rules)");
        Proposal(html, review);
        html.AppendLine("</main>");
        html.AppendLine("</body>");
        html.AppendLine("</html>");
        return html.ToString();
    }

    private static void Health(StringBuilder html, ScoreReviewReport report)
    {
        var health = report.Health;
        var (headline, detail) = Verdict(health.Verdict);
        // The engine words its verdicts; an unknown one still renders, only without a colour.
        var tone = headline switch
        {
            "very good" or "good" => "good",
            "fair" => "fair",
            "poor" or "inverted" => "bad",
            _ => "neutral",
        };
        html.AppendLine("<section><h2>Health</h2>");
        html.AppendLine($"<p class=\"verdict verdict-{tone}\"><strong>Verdict: {E(headline)}</strong>{(detail.Length > 0 ? $" — {E(detail)}" : string.Empty)}</p>");
        html.AppendLine("<dl class=\"figures\">");
        Figure(html, "Leads", Count(report.Leads));
        Figure(html, "Converted", $"{Count(report.Converted)} ({Percent(report.ConversionRate)})");
        Figure(html, "Mean points, converters", Number(health.MeanPointsConverted));
        Figure(html, "Mean points, the rest", Number(health.MeanPointsNotConverted));
        Figure(html, "ROC-AUC", Auc(health.Auc));
        html.AppendLine("</dl>");
        html.AppendLine($"<p class=\"muted\">ROC-AUC is {E(AucMeaning)}.</p>");
        html.AppendLine("</section>");
    }

    private static void Figure(StringBuilder html, string name, string value) =>
        html.AppendLine($"<div><dt>{E(name)}</dt><dd>{E(value)}</dd></div>");

    private static void Chart(StringBuilder html, string title, string intro, string svg)
    {
        html.AppendLine($"<section><h2>{E(title)}</h2>");
        html.AppendLine($"<p class=\"muted\">{E(intro)}</p>");
        html.AppendLine($"<figure>{svg}</figure>");
        html.AppendLine("</section>");
    }

    private static void Grades(StringBuilder html, ScoreReviewReport report)
    {
        html.AppendLine("<section><h2>Grades</h2>");
        Table(html, "Conversion by grade", ["Grade", "Leads", "Converted", "Rate"], keyColumns: 0,
            report.Grades.Select(g => new[] { g.Grade, Count(g.Leads), Count(g.Converted), Percent(g.Rate) }));
        html.AppendLine("</section>");
    }

    private static void Thresholds(StringBuilder html, ScoreReviewReport report)
    {
        html.AppendLine("<section><h2>Thresholds</h2>");
        if (report.Thresholds.IsEmpty)
        {
            html.AppendLine("<p>The model has no thresholds.</p>");
        }
        else
        {
            html.AppendLine($"<p class=\"muted\">{E(ThresholdsIntro)}</p>");
            Table(html, "Volume, precision and recall of each threshold", ["Threshold", "Points", "Volume", "Converted", "Precision", "Recall"], keyColumns: 1,
                report.Thresholds.Select(t => new[] { t.Key, Number(t.Points), Count(t.Volume), Count(t.Converted), Percent(t.Precision), Percent(t.Recall) }));
        }

        html.AppendLine("</section>");
    }

    private static void Rules(StringBuilder html, ScoreReviewReport report)
    {
        html.AppendLine("<section><h2>Rules</h2>");
        html.AppendLine($"<p class=\"muted\">{E(RulesIntro)}</p>");
        Table(html, "How each rule did, and the points the proposal suggests",
            ["Rule", "Category", "Fires", "Rate when fires", "When not", "Lift", "Points now", "Suggested"], keyColumns: 2,
            report.Rules.Select(r => new[]
            {
                r.Rule, r.Category, Count(r.Fires), Percent(r.RateWhenFires), Percent(r.RateWhenNot), ReviewFormat.Lift(r.Lift),
                Points(r.Points, r.PerOccurrence, r.MaxPoints), Suggested(r),
            }));
        html.AppendLine("</section>");
    }

    private static void Misjudged(StringBuilder html, string title, LeadGroup group, string what, string traitsTitle)
    {
        html.AppendLine($"<section><h2>{E(title)}</h2>");
        if (group.Count == 0)
        {
            html.AppendLine($"<p>No lead {E(what)}.</p>");
        }
        else
        {
            html.AppendLine($"<p>{Count(group.Count)} {(group.Count == 1 ? "lead" : "leads")} {E(what)}: {Ids(group.Ids, group.Count)}.</p>");
            if (group.Traits.IsEmpty)
            {
                html.AppendLine("<p>No trait stands out among them.</p>");
            }
            else
            {
                Table(html, traitsTitle, ["Trait", "Leads", "Share in group", "Share overall", "Lift"], keyColumns: 1,
                    group.Traits.Select(t => new[] { t.Trait, Count(t.Count), Percent(t.ShareInGroup), Percent(t.ShareOverall), ReviewFormat.Lift(t.Lift) }));
            }
        }

        html.AppendLine("</section>");
    }

    private static void Proposal(StringBuilder html, ModelReview review)
    {
        html.AppendLine("<section><h2>Proposal</h2>");
        if (!review.Warnings.IsEmpty)
        {
            html.AppendLine($"<p>{E(ReviewWarningsIntro)}</p><ul class=\"warnings\">");
            foreach (var warning in review.Warnings)
            {
                html.AppendLine($"<li>{E(warning)}</li>");
            }

            html.AppendLine("</ul>");
        }

        if (review.Proposal is not { } proposal)
        {
            html.AppendLine(review.Unconfirmed is null
                ? $"<p class=\"verdict verdict-neutral\">No proposal: {E(review.ProposalRefused ?? "none was made.")}</p>"
                : $"<p class=\"verdict verdict-neutral\"><strong>Keep the published model.</strong> {E(Capitalised(review.Validation?.Verdict ?? review.ProposalRefused ?? string.Empty))}</p>");
            OutOfTime(html, review.Validation);
            if (review.Unconfirmed is { ChangesAnything: true } unconfirmed)
            {
                html.AppendLine($"<h3>What it would change if more data confirms it</h3><p class=\"muted\">{E(UnconfirmedIntro)}</p><ul class=\"changes\">");
                foreach (var (verb, noun, subject, detail) in unconfirmed.Changes.Select(Change))
                {
                    html.AppendLine($"<li><strong>{E(verb)}</strong> {E(noun)} <code>{E(subject)}</code>{E(detail)}</li>");
                }

                html.AppendLine("</ul>");
            }

            Windows(html, review);
            html.AppendLine("</section>");
            return;
        }

        html.AppendLine($"<p>{E(Capitalised(review.Validation?.Verdict ?? string.Empty))}</p>");
        OutOfTime(html, review.Validation);

        html.AppendLine("<h3>Changes</h3>");
        if (!proposal.ChangesAnything)
        {
            html.AppendLine("<p>None: the published model already fits the period's outcomes.</p>");
        }
        else
        {
            html.AppendLine("<ul class=\"changes\">");
            foreach (var (verb, noun, subject, detail) in proposal.Changes.Select(Change))
            {
                html.AppendLine($"<li><strong>{E(verb)}</strong> {E(noun)} <code>{E(subject)}</code>{E(detail)}</li>");
            }

            html.AppendLine("</ul>");
        }

        if (!proposal.Warnings.IsEmpty)
        {
            html.AppendLine($"<p>{E(WarningsIntro)}</p><ul class=\"warnings\">");
            foreach (var warning in proposal.Warnings)
            {
                html.AppendLine($"<li>{E(warning.Message)}</li>");
            }

            html.AppendLine("</ul>");
        }

        var backtest = proposal.Backtest;
        var (before, after) = (backtest.Published, backtest.Draft);
        html.AppendLine("<h3>Backtest</h3>");
        html.AppendLine($"<p class=\"muted\">{E(BacktestIntro)}</p>");
        Table(html, "Published model and proposal side by side",
            ["", $"The published model ({before.ModelKey})", $"The proposal ({after.ModelKey})"], keyColumns: 0,
            [
                ["ROC-AUC", Auc(before.Auc), Auc(after.Auc)],
                ["MQL threshold", Threshold(before.Mql, before.MqlPoints), Threshold(after.Mql, after.MqlPoints)],
                ["MQLs", Count(before.Mqls), Count(after.Mqls)],
                ["Converted MQLs", Count(before.ConvertedMqls), Count(after.ConvertedMqls)],
                ["Precision", Percent(before.Precision), Percent(after.Precision)],
                ["Recall", Percent(before.Recall), Percent(after.Recall)],
            ]);
        html.AppendLine("<ul>");
        html.AppendLine($"<li>Moving in: {E(Moved(backtest.MovedIn, "reach MQL under the proposal only"))}{(backtest.MovedIn.Count > 0 ? ": " + Ids(backtest.MovedIn.Ids, backtest.MovedIn.Count) : string.Empty)}.</li>");
        html.AppendLine($"<li>Moving out: {E(Moved(backtest.MovedOut, "reach MQL under the published model only"))}{(backtest.MovedOut.Count > 0 ? ": " + Ids(backtest.MovedOut.Ids, backtest.MovedOut.Count) : string.Empty)}.</li>");
        html.AppendLine("</ul>");
        if (!backtest.Lists.IsEmpty)
        {
            Table(html, "What the proposal does to each list", ["List", "The published model", "The proposal", "Joining", "Leaving"], keyColumns: 1,
                backtest.Lists.Select(l => new[]
                {
                    l.Key, ListSide(l.PublishedPoints, l.PublishedLeads, l.PublishedConverted), ListSide(l.DraftPoints, l.DraftLeads, l.DraftConverted),
                    Count(l.Joining), Count(l.Leaving),
                }));
        }

        Windows(html, review);
        html.AppendLine("</section>");
    }

    private static void OutOfTime(StringBuilder html, OutOfTimeValidation? validation)
    {
        if (validation is null || validation.Folds.IsEmpty)
        {
            return;
        }

        html.AppendLine($"<h3>Out of time</h3><p class=\"muted\">{E(OutOfTimeIntro)}</p>");
        Table(html, "The proposal fitted on older leads, judged on newer ones",
            ["Fold", "Fitted on", "Judged on", "Leads", "Converted", "Published", "Proposal", "Forecast: published", "Forecast: proposal"], keyColumns: 0,
            validation.Folds.Select(f => new[]
            {
                f.Kind, Period(f.Fitted), Period(f.Judged), Count(f.Leads), Count(f.Converted), PreciseAuc(f.PublishedAuc), PreciseAuc(f.ProposalAuc),
                PreciseAuc(f.ForecastPublishedAuc), PreciseAuc(f.ForecastProposalAuc),
            }));
        html.AppendLine($"<ul><li>Gain in ROC-AUC: {E(Gain(validation.Gain))}</li><li>As a forecast: {E(Gain(validation.ForecastGain))}</li></ul>");
    }

    private static void Windows(StringBuilder html, ModelReview review)
    {
        if (review.WindowSuggestions.IsEmpty)
        {
            return;
        }

        html.AppendLine($"<h3>Windows and decay</h3><p class=\"muted\">{E(WindowsIntro)}</p>");
        Table(html, "Behaviour windows and half-lives", ["Rule", "Now", "Suggested", "ROC-AUC now", "Suggested ROC-AUC", "Every length tried"], keyColumns: 1,
            review.WindowSuggestions.Select(w => new[] { w.Rule, w.Now, w.Suggested, PreciseAuc(w.AucNow), PreciseAuc(w.AucSuggested), w.Evidence }));
    }

    private static string Ids(IReadOnlyList<string> ids, int total)
    {
        var (shown, more) = FirstIds(ids, total);
        return string.Join(", ", shown.Select(id => $"<code>{E(id)}</code>")) + (more > 0 ? $" and {Count(more)} more" : string.Empty);
    }

    /// <summary>A table of plain-text cells (encoded here); the first <paramref name="keyColumns"/> columns are keys, shown as code and left-aligned.</summary>
    private static void Table(StringBuilder html, string caption, string[] headers, int keyColumns, IEnumerable<string[]> rows)
    {
        html.AppendLine("<div class=\"table-wrap\"><table>");
        html.AppendLine($"<caption>{E(caption)}</caption>");
        html.Append("<thead><tr>");
        for (var i = 0; i < headers.Length; i++)
        {
            html.Append(i > 0 && i < keyColumns ? $"<th scope=\"col\" class=\"key\">{E(headers[i])}</th>" : $"<th scope=\"col\">{E(headers[i])}</th>");
        }

        html.AppendLine("</tr></thead>");
        html.AppendLine("<tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                var cell = i < keyColumns ? $"<code>{E(row[i])}</code>" : E(row[i]);
                html.Append(i == 0 ? $"<th scope=\"row\">{cell}</th>" : i < keyColumns ? $"<td class=\"key\">{cell}</td>" : $"<td>{cell}</td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</tbody></table></div>");
    }

    private static string E(string text) => System.Net.WebUtility.HtmlEncode(text);

    // Light and dark from the reader's setting; charts scroll sideways rather than shrink below legible on a phone.
    private const string Style = """

        :root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--converted:#2563eb;--not-converted:#e8890c;--lift:#0f766e;--rate:#7c3aed}
        @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--bg:#0d1117;--soft:#161b22;--converted:#4c8dff;--not-converted:#f0a030;--lift:#2bb3a3;--rate:#a67cf7}}
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        main{max-width:62rem;margin:0 auto;padding:1rem}
        h1{font-size:1.6rem;margin:.5rem 0}
        h2{font-size:1.25rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
        h3{font-size:1.05rem;margin:1.25rem 0 .5rem}
        .muted{color:var(--muted)}
        .verdict{padding:.75rem 1rem;border-left:.3rem solid var(--muted);border-radius:.25rem;background:var(--soft)}
        .verdict-good{border-color:#1a7f37}.verdict-fair{border-color:#bf8700}.verdict-bad{border-color:#cf222e}
        .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.5rem;margin:1rem 0}
        .figures div{border:1px solid var(--line);border-radius:.4rem;padding:.5rem .75rem}
        .figures dt{color:var(--muted);font-size:.85rem}
        .figures dd{margin:0;font-size:1.2rem;font-weight:600}
        .table-wrap{overflow-x:auto;margin:1rem 0}
        table{border-collapse:collapse;min-width:100%;font-size:.95rem}
        caption{text-align:left;font-weight:600;padding:.25rem 0}
        th,td{padding:.35rem .6rem;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
        thead th{border-bottom:2px solid var(--line)}
        th[scope=row],td.key,th.key,thead th:first-child{text-align:left}
        th[scope=row],td.key{white-space:normal;min-width:8rem}
        code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:.05rem .25rem;border-radius:.2rem;overflow-wrap:anywhere}
        figure{margin:1rem 0;overflow-x:auto}
        svg.chart{display:block;width:100%;min-width:30rem;height:auto}
        svg text{font:12px system-ui,sans-serif;fill:var(--fg)}
        svg .tick,svg .note{fill:var(--muted);font-size:11px}
        svg .value{font-size:9.5px}
        svg .grid{stroke:var(--line);stroke-width:.6}
        svg .axis{stroke:var(--muted)}
        svg .reference{stroke:var(--fg);stroke-dasharray:6 4}
        svg .converted{fill:var(--converted)}svg .not-converted{fill:var(--not-converted)}svg .lift{fill:var(--lift)}svg .rate{fill:var(--rate)}
        ul.changes li{margin:.35rem 0}

        """;
}
