using System.Net;
using System.Text.RegularExpressions;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Review;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;
using LeadScore.Server.Features.Reviews;

namespace LeadScore.Server.Tests.Review;

/// <summary>
/// The review rendered from a real <c>ModelReview.Run</c>: 240 made-up leads where VPs and the
/// analysts who requested a demo convert, and the model knows VPs but not demo requests, so the
/// proposal adds a rule. Some of those analysts' industry is a script tag, as user input may be.
/// </summary>
public sealed class ReviewRenderingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static readonly ReviewPeriod Period = new(Now.AddDays(-30), Now);

    private const string Script = "<script>alert('x')</script>";

    private const string ModelJson = """
        {"key": "acme-b2b", "target": "contact", "scale": 100,
         "categories": [{"key": "fit", "dimension": "fit", "budget": 50},
                        {"key": "engagement", "dimension": "engagement", "budget": 50}],
         "rules": [{"key": "vp", "category": "fit", "points": 30, "when": {"field": "title", "eq": "VP"}},
                   {"key": "intern", "category": "fit", "points": 10, "when": {"field": "title", "eq": "Intern"}},
                   {"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 8, "event": {"type": "email_open"}}],
         "thresholds": [{"key": "mql", "points": 30}],
         "grades": [{"grade": "A", "min": 30}, {"grade": "B", "min": 10}, {"grade": "C", "min": 0}]}
        """;

    private static ReviewedLead Lead(string id, string title, bool converted, string industry, params string[] behaviours)
    {
        var fields = new Dictionary<string, FieldValue> { ["title"] = FieldValue.FromText(title), ["industry"] = FieldValue.FromText(industry) };
        // Events just before the conversions, which are spread over the period's last 20 days: the review's
        // out-of-time check has converters on both sides of its time split.
        var events = behaviours.Select((type, i) => new ActivityEvent($"{id}-e{i}", type, Now.AddDays(-21 - i))).ToList();
        var judgedAt = converted ? Now.AddDays(-(id.Sum(c => c) % 20)) : Now;
        return new ReviewedLead(ScoringSubject.ForContact(id, fields, events), judgedAt, converted);
    }

    /// <summary>Three times 32 converters and 48 others; the analysts who requested a demo earn no points, though most of them convert.</summary>
    private static List<ReviewedLead> Leads() =>
    [
        .. Enumerable.Range(0, 3).SelectMany(c =>
            Enumerable.Range(0, 20).Select(i => Lead($"vp{i:00}{Copy(c)}", "VP", i < 14, "retail", "email_open", "email_open"))
            .Concat(Enumerable.Range(0, 20).Select(i => Lead($"demo{i:00}{Copy(c)}", "Analyst", i < 16, i < 8 ? Script : "retail", "demo_request")))
            .Concat(Enumerable.Range(0, 20).Select(i => Lead($"an{i:00}{Copy(c)}", "Analyst", i < 2, "retail", "email_open")))
            .Concat(Enumerable.Range(0, 20).Select(i => Lead($"in{i:00}{Copy(c)}", "Intern", false, "retail", i < 10 ? ["email_open"] : [])))),
    ];

    private static string Copy(int copy) => copy == 0 ? string.Empty : $"-{copy}";

    private static ModelReview Review(IReadOnlyList<ReviewedLead> leads, string json = ModelJson) =>
        ModelReview.Run(CompiledModel.Compile(ScoringModelJson.Parse(json).Model!), json, Period, leads);

    [Fact]
    public void Markdown_HasEverySectionInOrder()
    {
        var markdown = ReviewMarkdown.Write(Review(Leads()));
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "leadscore-review-sample.md"), markdown);

        string[] headings =
        [
            "# Score review of `acme-b2b`", "## Health", "## Score distribution", "## Lift by decile", "## Calibration", "## Grades",
            "## Thresholds", "## Rules", "## Low-score converters", "## High-score non-converters", "## Proposal", "### Changes", "### Backtest",
        ];
        var positions = headings.Select(h => markdown.IndexOf(h + "\n", StringComparison.Ordinal)).ToList();
        positions.ShouldAllBe(p => p >= 0, markdown);
        positions.ShouldBeInOrder(SortDirection.Ascending);
        markdown.ShouldContain("2026-10-24 to 2026-11-23 (30 days)");
    }

    [Fact]
    public void Markdown_GivesTheVerdictAucAndCharts()
    {
        var review = Review(Leads());

        var markdown = ReviewMarkdown.Write(review);

        var health = review.Report.Health;
        var colon = health.Verdict.IndexOf(':', StringComparison.Ordinal);
        markdown.ShouldContain($"**Verdict: {health.Verdict[..colon]}** — {health.Verdict[(colon + 2)..]}");
        markdown.ShouldContain($"ROC-AUC: {health.Auc.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}");
        markdown.ShouldContain("█");
        markdown.ShouldContain("1 (top)");
        markdown.ShouldContain($"({review.Report.Converted * 100.0 / review.Report.Leads:0.0} %)");
    }

    [Fact]
    public void Markdown_RulesShowPointsPerOccurrenceAndSuggestions()
    {
        var review = Review(Leads());

        var markdown = ReviewMarkdown.Write(review);

        markdown.ShouldContain("| `opens` | `engagement` |");
        markdown.ShouldContain("2 each, max 8");
        var intern = review.Report.Rules.Single(r => r.Rule == "intern");
        intern.SuggestedPoints.ShouldBe(0, "interns never convert");
        Line(markdown, "| `intern` |").ShouldEndWith("| 10 | remove |");
    }

    [Fact]
    public void Markdown_ListsTheChangesAndTheBacktestSideBySide()
    {
        var review = Review(Leads());
        var proposal = review.Proposal.ShouldNotBeNull(review.ProposalRefused);

        var markdown = ReviewMarkdown.Write(review);

        proposal.Changes.ShouldContain(c => c.Kind == ChangeKind.Added && c.Subject == "recent-demo-request", "the model ignores demo requests");
        markdown.ShouldContain("**Add** rule `recent-demo-request`: did demo\\_request in the last 30 days");
        foreach (var change in proposal.Changes)
        {
            markdown.ShouldContain($"`{change.Subject}`");
        }

        var (before, after) = (proposal.Backtest.Published, proposal.Backtest.Draft);
        markdown.ShouldContain($"| ROC-AUC | {before.Auc:0.00} | {after.Auc:0.00} |");
        markdown.ShouldContain($"| MQLs | {before.Mqls} | {after.Mqls} |");
        markdown.ShouldContain($"| Converted MQLs | {before.ConvertedMqls} | {after.ConvertedMqls} |");
        markdown.ShouldContain($"- Moving in: {proposal.Backtest.MovedIn.Count} leads reach MQL under the proposal only, {proposal.Backtest.MovedIn.Converted} of them converted");
    }

    [Fact]
    public void Markdown_TraitsOfMisjudgedLeads_AreTabledAndCannotInjectHtml()
    {
        var markdown = ReviewMarkdown.Write(Review(Leads()));

        markdown.ShouldContain("| `did demo_request in the last 30 days` | 48 | 88.9 % | 25.0 % | 3.56× |");
        markdown.ShouldContain($"`industry = {Script}`", customMessage: "user input goes in code spans, which show it literally");
    }

    [Fact]
    public void BacktestMarkdown_NamesBothModelsByTheirLabels()
    {
        var proposal = Review(Leads()).Proposal.ShouldNotBeNull();

        var markdown = ReviewMarkdown.Write(proposal.Backtest, "published v3", "draft v4");

        markdown.ShouldStartWith("# Backtest: draft v4 against published v3");
        markdown.ShouldContain("|  | Published v3 (`acme-b2b`) | Draft v4 (`acme-b2b`) |");
        markdown.ShouldContain("reach MQL under draft v4 only");
    }

    [Fact]
    public void Html_IsSelfContained_WithThreeTitledCharts()
    {
        var html = ReviewHtml.Write(Review(Leads()));

        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldNotContain("http://");
        html.ShouldNotContain("https://");
        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("<link", Case.Insensitive);
        var charts = Regex.Matches(html, "<svg.*?</svg>", RegexOptions.Singleline);
        charts.Count.ShouldBe(3);
        charts.ShouldAllBe(c => Regex.IsMatch(c.Value, "^<svg[^>]*aria-labelledby=\"[^\"]+\"[^>]*>\\s*<title id=\"[^\"]+\">[^<]+</title>"));
        html.ShouldContain("Score distribution: converted vs not converted");
        html.ShouldContain("class=\"reference\"", customMessage: "the lift chart marks lift 1, the average lead");
        html.ShouldContain("<caption>");
        html.ShouldContain("<th scope=\"col\">Precision</th>");
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "leadscore-review-sample.html"), html);
    }

    [Fact]
    public void Html_EncodesUserInput()
    {
        var json = ModelJson.Replace("\"acme-b2b\"", "\"acme<script>alert(1)</script>\"", StringComparison.Ordinal);

        var html = ReviewHtml.Write(Review(Leads(), json));

        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldContain("acme&lt;script&gt;alert(1)&lt;/script&gt;");
        html.ShouldContain(WebUtility.HtmlEncode($"industry = {Script}"));
    }

    [Fact]
    public void Html_HasTheSameFiguresAsTheMarkdown()
    {
        var review = Review(Leads());

        var html = ReviewHtml.Write(review);

        var proposal = review.Proposal.ShouldNotBeNull();
        html.ShouldContain(review.Report.Health.Auc.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        html.ShouldContain("<strong>Add</strong> rule <code>recent-demo-request</code>");
        html.ShouldContain($"<tr><th scope=\"row\">MQLs</th><td>{proposal.Backtest.Published.Mqls}</td><td>{proposal.Backtest.Draft.Mqls}</td></tr>");
        html.ShouldContain("2 each, max 8");
    }

    [Fact]
    public void TooFewOutcomes_ShowWhyThereIsNoProposal()
    {
        List<ReviewedLead> leads = [.. Leads().Where((_, i) => i % 8 == 0)];

        var review = Review(leads);

        var refused = review.ProposalRefused.ShouldNotBeNull();
        review.Proposal.ShouldBeNull();
        ReviewMarkdown.Write(review).ShouldContain($"No proposal: {refused}");
        ReviewHtml.Write(review).ShouldContain($"No proposal: {WebUtility.HtmlEncode(refused)}");
        ReviewMarkdown.Write(review).ShouldNotContain("### Backtest");
    }

    private static string Line(string text, string start) =>
        text.Split('\n').Single(l => l.StartsWith(start, StringComparison.Ordinal)).TrimEnd('\r');
}
