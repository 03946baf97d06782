using LeadScore.Prediction.Validation;

namespace LeadScore.Prediction.Tests.Validation;

public sealed class ValidationPlanTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TimeOrdered_EverySplit_TrainsOnOlderRowsThanItPredicts()
    {
        var (times, labels) = Weekly(weeks: 10, perWeek: 30, seed: 1);

        var plan = ValidationPlan.TimeOrdered(times, labels, 5, "snapshotAt", out var refusal)!;

        refusal.ShouldBeNull();
        plan.Splits.Count.ShouldBe(4);
        foreach (var split in plan.Splits)
        {
            split.Train.Max(i => times[i]).ShouldBeLessThan(split.Test.Min(i => times[i]));
        }

        plan.Splits.Select(s => s.Test.Length).ShouldAllBe(n => n == 60);
        plan.ValidatedRows().Length.ShouldBe(240);
        plan.Description.ShouldBe("time-ordered: 5 blocks, validated on 240 rows from 2026-03-15");
    }

    [Fact]
    public void TimeOrdered_RowsSharingATime_StayInOneBlock()
    {
        var (times, labels) = Weekly(weeks: 3, perWeek: 100, seed: 2);

        var plan = ValidationPlan.TimeOrdered(times, labels, 5, "snapshotAt", out _)!;

        plan.Splits.Count.ShouldBe(2);
        plan.Splits.ShouldAllBe(s => s.Test.Select(i => times[i]).Distinct().Count() == 1 && s.Test.Length == 100);
    }

    [Fact]
    public void TimeOrdered_OneDistinctTime_IsRefusedSayingWhy()
    {
        var (times, labels) = Weekly(weeks: 1, perWeek: 200, seed: 3);

        var plan = ValidationPlan.TimeOrdered(times, labels, 5, "snapshotAt", out var refusal);

        plan.ShouldBeNull();
        refusal.ShouldBe("Time-ordered validation on 'snapshotAt' needs at least 2 time blocks holding both classes, and has 1 "
            + "(1 distinct time in 1 block): add rows from more times, or train without the time column.");
    }

    [Fact]
    public void Stratified_EveryRow_IsPredictedOnceWithTheFilesPositiveRate()
    {
        var labels = Enumerable.Range(0, 500).Select(i => i % 5 == 0).ToArray();

        var plan = ValidationPlan.Stratified(labels, 5, seed: 7);

        plan.ValidatedRows().ShouldBe(Enumerable.Range(0, 500));
        plan.Splits.ShouldAllBe(s => s.Test.Count(i => labels[i]) == 20);
        plan.Description.ShouldBe("stratified 5-fold: validated on 500 rows");
    }

    // Snapshots taken every Sunday, in shuffled order, about a quarter converted.
    private static (DateTimeOffset[] Times, bool[] Labels) Weekly(int weeks, int perWeek, int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, weeks * perWeek).Select(i => March.AddDays(7 * (i % weeks))).ToArray();
        random.Shuffle(rows);
        return (rows, rows.Select(_ => random.NextDouble() < 0.25).ToArray());
    }
}
