namespace LeadScore.Engine.Review;

/// <summary>
/// The area under the ROC curve, the one measure of ranking everything here reports (the review's
/// health, the predictive model's validation, the benchmarks): the chance that a random positive
/// scores above a random negative, ties counting half (the Mann-Whitney statistic with average ranks).
/// </summary>
public static class RocAuc
{
    /// <summary>The AUC of <paramref name="scores"/> against <paramref name="positives"/>; NaN when either class is absent.</summary>
    public static double Of(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positives);
        if (scores.Count != positives.Count)
        {
            throw new ArgumentException($"{scores.Count} scores for {positives.Count} labels.", nameof(positives));
        }

        var order = new int[scores.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => scores[a].CompareTo(scores[b]));
        double positiveRankSum = 0;
        long positiveCount = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end < order.Length && scores[order[end]] == scores[order[start]])
            {
                end++;
            }

            // Ranks start at 1; the tied run [start, end) shares the average of its ranks.
            var averageRank = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++)
            {
                if (positives[order[k]])
                {
                    positiveRankSum += averageRank;
                    positiveCount++;
                }
            }

            start = end;
        }

        var negativeCount = order.Length - positiveCount;
        return positiveCount == 0 || negativeCount == 0
            ? double.NaN
            : (positiveRankSum - positiveCount * (positiveCount + 1) / 2.0) / ((double)positiveCount * negativeCount);
    }

    /// <summary>The AUC of scored items; NaN when either class is absent.</summary>
    public static double Of(IReadOnlyList<(double Score, bool Positive)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Of(items.Select(i => i.Score).ToArray(), items.Select(i => i.Positive).ToArray());
    }
}
