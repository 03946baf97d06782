using System.Collections.Immutable;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Review;

/// <summary>
/// Compares a model's scores with outcomes, the first half of the monthly review: each lead is scored
/// at the instant it is judged at (the caller gathers the leads and their outcomes; this is arithmetic).
/// </summary>
public static class ScoreReview
{
    private const int DecileCount = 10;

    /// <summary>A trait needs this many leads of the group, and this lift over everyone, to be a candidate.</summary>
    public const int MinimumTraitCount = 3;

    public const double MinimumTraitLift = 1.5;

    private const int TraitsShown = 10;
    private const int IdsShown = 100;

    // Text fields with more distinct values than this are names, emails and notes, not traits.
    private const int MaximumTraitLevels = 50;

    private const int DistributionBands = 10;

    public static ScoreReviewReport Review(CompiledModel model, ReviewPeriod period, IReadOnlyList<ReviewedLead> leads)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(period);
        return Review(model.Model, period, Judge(model, leads));
    }

    /// <summary>Each lead with its score card at the instant it is judged at.</summary>
    public static IReadOnlyList<JudgedLead> Judge(CompiledModel model, IReadOnlyList<ReviewedLead> leads)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(leads);
        return [.. leads.Select(lead => new JudgedLead(lead, model.Score(lead.Subject, lead.JudgedAt)))];
    }

    /// <summary>The report on leads already scored under <paramref name="model"/>.</summary>
    internal static ScoreReviewReport Review(ScoringModel model, ReviewPeriod period, IReadOnlyList<JudgedLead> leads)
    {
        var converted = leads.Count(l => l.Converted);
        var overall = leads.Count == 0 ? 0 : (double)converted / leads.Count;
        return new ScoreReviewReport(
            model.Key,
            period,
            leads.Count,
            converted,
            Health(leads),
            Grades(model, leads),
            Deciles(leads, overall),
            Thresholds(model, leads, converted),
            Rules(model, leads),
            Distribution(model, leads),
            Misjudged(model, leads, l => l.Converted && !Reached(l, model)),
            Misjudged(model, leads, l => !l.Converted && Reached(l, model)));
    }

    /// <summary>The MQL threshold: the one keyed <c>mql</c>, else the lowest.</summary>
    public static Threshold? Mql(ScoringModel model) =>
        model.Thresholds.FirstOrDefault(t => string.Equals(t.Key, "mql", StringComparison.OrdinalIgnoreCase))
        ?? model.Thresholds.OrderBy(t => t.Points).FirstOrDefault();

    private static bool Reached(JudgedLead lead, ScoringModel model) =>
        Mql(model) is { } mql && lead.Card.Thresholds.Contains(mql.Key);

    private static LeadGroup Misjudged(ScoringModel model, IReadOnlyList<JudgedLead> leads, Func<JudgedLead, bool> inGroup)
    {
        var group = leads.Where(inGroup).ToList();
        var threshold = Mql(model)?.Key ?? "(no threshold)";
        return new LeadGroup(threshold, group.Count, [.. group.Select(l => l.Lead.Id).Order(StringComparer.Ordinal).Take(IdsShown)], Traits(group, leads));
    }

    private static ImmutableArray<TraitRow> Traits(List<JudgedLead> group, IReadOnlyList<JudgedLead> everyone)
    {
        if (group.Count == 0)
        {
            return [];
        }

        static IEnumerable<(string Key, string? Field, string? Value, string? Behaviour)> TraitsOf(JudgedLead lead) =>
            lead.Lead.Subject.Fields.Where(f => !f.Value.IsMissing && !f.Value.HasNumber && !StandardFields.Matches(f.Key, StandardFields.NotEvidence))
                .Select(f => ($"{f.Key} = {f.Value.Text}", (string?)f.Key, (string?)f.Value.Text, (string?)null))
                .Concat(lead.Lead.RecentBehaviours.Select(b => ($"did {b} in the last 30 days", (string?)null, (string?)null, (string?)b)));

        var levels = everyone.SelectMany(l => l.Lead.Subject.Fields.Where(f => !f.Value.IsMissing && !f.Value.HasNumber))
            .GroupBy(f => f.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Select(f => f.Value.Text).Distinct().Count(), StringComparer.OrdinalIgnoreCase);
        var overall = everyone.SelectMany(TraitsOf).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Count());
        return [.. group.SelectMany(TraitsOf)
            .Where(t => t.Field is null || levels[t.Field] <= MaximumTraitLevels)
            .GroupBy(t => t)
            .Select(g =>
            {
                var share = (double)g.Count() / group.Count;
                var shareOverall = (double)overall[g.Key.Key] / everyone.Count;
                return new TraitRow(g.Key.Key, g.Key.Field, g.Key.Value, g.Key.Behaviour, g.Count(), share, shareOverall, share / shareOverall);
            })
            .Where(t => t.Count >= MinimumTraitCount && t.Lift >= MinimumTraitLift)
            .OrderByDescending(t => t.Lift * Math.Sqrt(t.Count)).ThenBy(t => t.Trait, StringComparer.Ordinal)
            .Take(TraitsShown)];
    }

    /// <summary>The probability that a random converter has more points than a random non-converter (ties count half); 0.5 without both.</summary>
    public static double Auc(IReadOnlyList<JudgedLead> leads)
    {
        ArgumentNullException.ThrowIfNull(leads);
        var auc = RocAuc.Of([.. leads.Select(l => (double)l.Card.Points)], [.. leads.Select(l => l.Converted)]);
        return double.IsNaN(auc) ? 0.5 : auc;
    }

    private static ReviewHealth Health(IReadOnlyList<JudgedLead> leads)
    {
        double Mean(bool converted) => leads.Where(l => l.Converted == converted).Select(l => (double)l.Card.Points).DefaultIfEmpty(0).Average();
        var auc = Auc(leads);
        var verdict = leads.All(l => l.Converted) || !leads.Any(l => l.Converted)
            ? "not enough outcomes to judge: the period needs both converters and leads that did not convert"
            : auc switch
            {
                < 0.5 => "inverted: leads that did not convert score higher than those that did; the points reward the wrong things",
                < 0.6 => "poor: the score barely separates converters from the rest",
                < 0.7 => "fair: converters score higher, but many low scorers convert and many high scorers do not",
                < 0.8 => "good: the score ranks converters well",
                _ => "very good: the score ranks converters clearly above the rest",
            };
        return new ReviewHealth(Mean(true), Mean(false), auc, verdict);
    }

    private static ImmutableArray<GradeRow> Grades(ScoringModel model, IReadOnlyList<JudgedLead> leads) =>
        [.. model.Grades.OrderByDescending(g => g.Min).Select(g => g.Grade).Append(null)
            .Select(grade => (Grade: grade, Leads: leads.Where(l => l.Card.Grade == grade).ToList()))
            .Where(g => g.Grade is not null || g.Leads.Count > 0)
            .Select(g => new GradeRow(g.Grade ?? "(none)", g.Leads.Count, g.Leads.Count(l => l.Converted), Rate(g.Leads)))];

    private static ImmutableArray<DecileRow> Deciles(IReadOnlyList<JudgedLead> leads, double overall)
    {
        // Highest points first; ties broken by id so the split is the same every time.
        var ordered = leads.OrderByDescending(l => l.Card.Points).ThenBy(l => l.Card.SubjectId, StringComparer.Ordinal).ToArray();
        var rows = ImmutableArray.CreateBuilder<DecileRow>();
        for (var d = 0; d < DecileCount && ordered.Length > 0; d++)
        {
            var slice = ordered[(d * ordered.Length / DecileCount)..((d + 1) * ordered.Length / DecileCount)];
            if (slice.Length == 0)
            {
                continue;
            }

            var rate = Rate(slice);
            rows.Add(new DecileRow(d + 1, slice.Length, slice.Count(l => l.Converted), rate, overall == 0 ? 0 : rate / overall,
                slice.Min(l => l.Card.Points), slice.Max(l => l.Card.Points)));
        }

        return rows.ToImmutable();
    }

    private static ImmutableArray<ThresholdRow> Thresholds(ScoringModel model, IReadOnlyList<JudgedLead> leads, int converted) =>
        [.. model.Thresholds.OrderBy(t => t.Points).Select(threshold =>
        {
            var reached = leads.Where(l => l.Card.Thresholds.Contains(threshold.Key)).ToList();
            var hits = reached.Count(l => l.Converted);
            return new ThresholdRow(threshold.Key, threshold.Points, reached.Count, hits, Rate(reached), converted == 0 ? 0 : (double)hits / converted);
        })];

    private static ImmutableArray<RuleRow> Rules(ScoringModel model, IReadOnlyList<JudgedLead> leads) =>
        [.. model.Rules.Select(rule =>
        {
            var fires = leads.Where(l => l.Card.Rules.Any(r => r.Rule == rule.Key && r.Points != 0)).ToList();
            var rest = leads.Except(fires).ToList();
            var with = Rate(fires);
            var without = Rate(rest);
            return new RuleRow(rule.Key, rule.Category, fires.Count, with, without, without == 0 ? null : with / without,
                rule.Points, rule.Per == Award.PerOccurrence, rule.MaxPoints);
        })];

    private static ImmutableArray<PointsBand> Distribution(ScoringModel model, IReadOnlyList<JudgedLead> leads)
    {
        // Ten equal bands of the scale (0-9, 10-19, ..., 90-100 on a 100-point scale).
        var width = Math.Max(1, model.Scale / DistributionBands);
        var bands = model.Scale / width;
        return [.. Enumerable.Range(0, bands).Select(b =>
        {
            var from = b * width;
            var to = b == bands - 1 ? model.Scale : from + width - 1;
            var inBand = leads.Where(l => l.Card.Points >= from && l.Card.Points <= to).ToList();
            var converted = inBand.Count(l => l.Converted);
            return new PointsBand(from, to, converted, inBand.Count - converted);
        })];
    }

    private static double Rate(IReadOnlyCollection<JudgedLead> leads) => leads.Count == 0 ? 0 : (double)leads.Count(l => l.Converted) / leads.Count;
}

/// <summary>A lead with its score card under one model at the instant it is judged at.</summary>
public sealed record JudgedLead(ReviewedLead Lead, ScoreCard Card)
{
    public bool Converted => Lead.Converted;
}
