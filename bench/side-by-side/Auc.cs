namespace LeadScore.SideBySide;

/// <summary>ROC-AUC by ranks (Mann-Whitney), ties sharing their average rank.</summary>
internal static class Auc
{
    public static double Of(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRanks = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (positive[order[k]])
                {
                    positiveRanks += rank;
                    positives++;
                }
            }

            start = end + 1;
        }

        var negatives = scores.Count - positives;
        return (positiveRanks - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }
}
