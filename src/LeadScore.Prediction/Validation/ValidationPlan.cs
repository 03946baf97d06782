using System.Globalization;

namespace LeadScore.Prediction.Validation;

/// <summary>
/// How candidates are validated: the splits, in the order they are run, and a description for people
/// ("stratified 5-fold: validated on 41,188 rows"). Every validated row is predicted by exactly one split.
/// </summary>
internal sealed record ValidationPlan(IReadOnlyList<ValidationSplit> Splits, string Description)
{
    /// <summary>The rows some split predicts, in ascending order; metrics and calibration use only these.</summary>
    public int[] ValidatedRows() => Splits.SelectMany(s => s.Test).Order().ToArray();

    /// <summary>Stratified k-fold: each fold is predicted by a fit on the other folds.</summary>
    public static ValidationPlan Stratified(IReadOnlyList<bool> labels, int folds, int seed)
    {
        var fold = StratifiedFolds.Assign(labels, folds, seed);
        var splits = Enumerable.Range(0, folds)
            .Select(k => new ValidationSplit(
                Enumerable.Range(0, labels.Count).Where(i => fold[i] != k).ToArray(),
                Enumerable.Range(0, labels.Count).Where(i => fold[i] == k).ToArray()))
            .ToArray();
        return new ValidationPlan(splits, $"stratified {folds}-fold: validated on {labels.Count:N0} rows");
    }

    /// <summary>Shuffled k-fold (for numbers, where there are no classes to stratify): each fold is predicted by a fit on the others.</summary>
    public static ValidationPlan KFold(int rows, int folds, int seed)
    {
        // Stratifying on one class is shuffling, dealt round-robin into the folds.
        var plan = Stratified(new bool[rows], folds, seed);
        return plan with { Description = $"{folds}-fold: validated on {rows:N0} rows" };
    }

    /// <summary>
    /// Forward chaining: the rows ordered by time are cut into <paramref name="blocks"/> consecutive blocks of
    /// about equal size, cutting only between distinct times so rows sharing a time stay together; each block
    /// after the first is predicted by a fit on every block before it. A block whose earlier blocks lack
    /// a class is not predicted (it still trains the later ones). Null, with the reason, when fewer than two
    /// blocks hold both classes or the predicted rows do not.
    /// </summary>
    public static ValidationPlan? TimeOrdered(IReadOnlyList<DateTimeOffset> times, IReadOnlyList<bool> labels, int blocks, string column, out string? refusal)
    {
        var order = Enumerable.Range(0, times.Count).OrderBy(i => times[i]).ToArray();
        var block = new int[times.Count];
        var seen = 0;
        var current = -1;
        var currentTarget = -1;
        var blockTimes = new List<DateTimeOffset>();
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end < order.Length && times[order[end]] == times[order[start]])
            {
                end++;
            }

            // A time's rows go to the block where the rows before them end: blocks stay consecutive and even.
            var target = (int)((long)blocks * seen / times.Count);
            if (target > currentTarget)
            {
                current++;
                currentTarget = target;
                blockTimes.Add(times[order[start]]);
            }

            for (var k = start; k < end; k++)
            {
                block[order[k]] = current;
            }

            seen += end - start;
            start = end;
        }

        var count = current + 1;
        var members = Enumerable.Range(0, count).Select(b => Enumerable.Range(0, times.Count).Where(i => block[i] == b).ToArray()).ToArray();
        var withBothClasses = members.Count(m => m.Any(i => labels[i]) && m.Any(i => !labels[i]));
        var distinct = times.Distinct().Count();
        if (withBothClasses < 2)
        {
            refusal = $"Time-ordered validation on '{column}' needs at least 2 time blocks holding both classes, and has {withBothClasses} "
                + $"({distinct} distinct time{(distinct == 1 ? "" : "s")} in {count} block{(count == 1 ? "" : "s")}): add rows from more times, or train without the time column.";
            return null;
        }

        var splits = new List<ValidationSplit>();
        DateTimeOffset? firstValidated = null;
        for (var j = 1; j < count; j++)
        {
            var train = members.Take(j).SelectMany(m => m).Order().ToArray();
            if (train.Any(i => labels[i]) && train.Any(i => !labels[i]))
            {
                splits.Add(new ValidationSplit(train, members[j]));
                firstValidated ??= blockTimes[j];
            }
        }

        var validated = splits.SelectMany(s => s.Test).ToArray();
        if (!validated.Any(i => labels[i]) || validated.All(i => labels[i]))
        {
            refusal = $"Time-ordered validation on '{column}': the blocks that can be predicted from earlier ones hold only one class; add rows from more times.";
            return null;
        }

        refusal = null;
        return new ValidationPlan(splits, $"time-ordered: {count} blocks, validated on {validated.Length:N0} rows from {Format(firstValidated!.Value)}");
    }

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.TimeOfDay == TimeSpan.Zero
            ? time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
