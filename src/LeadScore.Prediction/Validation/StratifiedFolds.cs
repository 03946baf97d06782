namespace LeadScore.Prediction.Validation;

/// <summary>Assigns rows to k folds keeping each fold's positive rate close to the whole file's.</summary>
internal static class StratifiedFolds
{
    public static int[] Assign(IReadOnlyList<bool> labels, int folds, int seed)
    {
        var random = new Random(seed);
        var fold = new int[labels.Count];
        foreach (var classValue in new[] { true, false })
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == classValue).ToArray();
            random.Shuffle(members);
            for (var k = 0; k < members.Length; k++)
            {
                fold[members[k]] = k % folds;
            }
        }

        return fold;
    }
}
