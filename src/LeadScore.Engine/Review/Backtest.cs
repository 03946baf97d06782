using System.Collections.Immutable;
using LeadScore.Engine.Compilation;

namespace LeadScore.Engine.Review;

/// <summary>
/// Replays two models over the same leads at the same instants and puts them side by side: how well
/// each ranks the converters, how many MQLs each makes and how many of those converted, and which leads
/// would move in or out of MQL.
/// </summary>
public static class Backtest
{
    private const int IdsShown = 100;

    public static BacktestReport Compare(CompiledModel published, CompiledModel draft, ReviewPeriod period, IReadOnlyList<ReviewedLead> leads)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(period);
        return Compare(published, ScoreReview.Judge(published, leads), draft, period);
    }

    /// <summary>The same, with the published model's cards already computed (the review has them).</summary>
    internal static BacktestReport Compare(CompiledModel published, IReadOnlyList<JudgedLead> before, CompiledModel draft, ReviewPeriod period)
    {
        var leads = before.Select(j => j.Lead).ToList();
        var after = ScoreReview.Judge(draft, leads);
        var converted = leads.Count(l => l.Converted);
        var reachedBefore = before.Select(l => ReachesMql(l, published)).ToArray();
        var reachedAfter = after.Select(l => ReachesMql(l, draft)).ToArray();
        var movedIn = leads.Where((_, i) => reachedAfter[i] && !reachedBefore[i]).ToList();
        var movedOut = leads.Where((_, i) => reachedBefore[i] && !reachedAfter[i]).ToList();
        return new BacktestReport(
            period,
            leads.Count,
            converted,
            Side(published, before, reachedBefore, converted),
            Side(draft, after, reachedAfter, converted),
            Moved(movedIn),
            Moved(movedOut))
        {
            Lists = Lists(published, before, draft, after),
        };
    }

    /// <summary>Every threshold either model has (MQL, SQL...): how many leads reach it under each, and how many move in or out.</summary>
    private static ImmutableArray<ThresholdList> Lists(CompiledModel published, IReadOnlyList<JudgedLead> before, CompiledModel draft, IReadOnlyList<JudgedLead> after) =>
        [.. published.Model.Thresholds.Select(t => t.Key).Union(draft.Model.Thresholds.Select(t => t.Key), StringComparer.Ordinal).Select(key =>
        {
            var was = before.Select(l => l.Card.Thresholds.Contains(key)).ToArray();
            var now = after.Select(l => l.Card.Thresholds.Contains(key)).ToArray();
            int Count(Func<int, bool> where) => Enumerable.Range(0, was.Length).Count(where);
            return new ThresholdList(
                key,
                published.Model.Thresholds.FirstOrDefault(t => t.Key == key)?.Points,
                draft.Model.Thresholds.FirstOrDefault(t => t.Key == key)?.Points,
                Count(i => was[i]),
                Count(i => was[i] && before[i].Converted),
                Count(i => now[i]),
                Count(i => now[i] && after[i].Converted),
                Count(i => now[i] && !was[i]),
                Count(i => was[i] && !now[i]));
        })];

    private static bool ReachesMql(JudgedLead lead, CompiledModel model) =>
        ScoreReview.Mql(model.Model) is { } mql && lead.Card.Thresholds.Contains(mql.Key);

    private static BacktestSide Side(CompiledModel model, IReadOnlyList<JudgedLead> judged, bool[] reached, int converted)
    {
        var mql = ScoreReview.Mql(model.Model);
        var mqls = reached.Count(r => r);
        var hits = judged.Where((_, i) => reached[i]).Count(l => l.Converted);
        return new BacktestSide(
            model.Model.Key,
            ScoreReview.Auc(judged),
            mql?.Key,
            mql?.Points,
            mqls,
            hits,
            mqls == 0 ? 0 : (double)hits / mqls,
            converted == 0 ? 0 : (double)hits / converted);
    }

    private static MovedLeads Moved(List<ReviewedLead> leads) =>
        new(leads.Count, leads.Count(l => l.Converted), [.. leads.Select(l => l.Id).Order(StringComparer.Ordinal).Take(IdsShown)]);
}

/// <summary>Two models replayed over the same leads: <see cref="MovedIn"/> reach MQL under the draft only, <see cref="MovedOut"/> under the published model only.</summary>
public sealed record BacktestReport(
    ReviewPeriod Period,
    int Leads,
    int Converted,
    BacktestSide Published,
    BacktestSide Draft,
    MovedLeads MovedIn,
    MovedLeads MovedOut)
{
    /// <summary>How much better the draft ranks converters (ROC-AUC difference; positive is better).</summary>
    public double AucGain => Draft.Auc - Published.Auc;

    /// <summary>What the draft would do to each list a threshold makes (MQL, SQL...).</summary>
    public ImmutableArray<ThresholdList> Lists { get; init; } = [];
}

/// <summary>
/// One threshold's list under the published model and under the draft: its points (null when a model has
/// no such threshold), the leads that reach it and the converters among them, and the leads that would
/// join it or leave it.
/// </summary>
public sealed record ThresholdList(
    string Key, double? PublishedPoints, double? DraftPoints, int PublishedLeads, int PublishedConverted, int DraftLeads, int DraftConverted, int Joining, int Leaving);

/// <summary>One model's results: ROC-AUC of its points, and at its MQL threshold the volume, the converters among them, precision and recall.</summary>
public sealed record BacktestSide(string ModelKey, double Auc, string? Mql, double? MqlPoints, int Mqls, int ConvertedMqls, double Precision, double Recall);

/// <summary>Leads that change side of the MQL threshold: how many, how many of them converted, and their ids (the first 100).</summary>
public sealed record MovedLeads(int Count, int Converted, ImmutableArray<string> Ids);
