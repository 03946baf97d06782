namespace LeadScore.Cli.Tests.Generation;

/// <summary>
/// The area under the ROC curve: the chance that a random converter scores above a random
/// non-converter, ties counting half (the Mann-Whitney statistic with average ranks).
/// </summary>
internal static class RocAuc
{
    public static double Of(IReadOnlyList<(double Score, bool Positive)> items)
    {
        var sorted = items.OrderBy(i => i.Score).ToArray();
        double positiveRanks = 0;
        var positives = 0;
        for (var start = 0; start < sorted.Length;)
        {
            var end = start;
            while (end < sorted.Length && sorted[end].Score == sorted[start].Score)
            {
                end++;
            }

            var averageRank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                if (sorted[i].Positive)
                {
                    positiveRanks += averageRank;
                    positives++;
                }
            }

            start = end;
        }

        var negatives = sorted.Length - positives;
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
