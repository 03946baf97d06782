using LeadScore.Server.Webhooks;

namespace LeadScore.Server.Tests.Webhooks;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset CreatedAt = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DelayAfter_ManySeededDraws_LieBetweenHalfAndAllOfTheDoubledDelay()
    {
        var schedule = new RetrySchedule(new Random(42));
        var expectedFull = new[] { 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600 }.Select(s => TimeSpan.FromSeconds(s)).ToArray();

        var draws = expectedFull.Select((_, n) => Enumerable.Range(0, 1000).Select(_ => schedule.DelayAfter(n + 1)).ToArray()).ToArray();

        for (var n = 0; n < expectedFull.Length; n++)
        {
            var full = expectedFull[n];
            draws[n].ShouldAllBe(delay => delay >= full / 2 && delay <= full, $"after {n + 1} failed attempt(s)");

            // Spread over the whole range, not bunched: the point of the jitter.
            draws[n].Min().ShouldBeLessThan(full * 0.55, $"after {n + 1} failed attempt(s)");
            draws[n].Max().ShouldBeGreaterThan(full * 0.95, $"after {n + 1} failed attempt(s)");
        }
    }

    [Fact]
    public void DelayAfter_SameSeed_RepeatsTheSameDelays()
    {
        var first = new RetrySchedule(new Random(7));
        var second = new RetrySchedule(new Random(7));

        var a = Enumerable.Range(1, 20).Select(first.DelayAfter).ToArray();
        var b = Enumerable.Range(1, 20).Select(second.DelayAfter).ToArray();

        a.ShouldBe(b);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    [InlineData(int.MaxValue)]
    public void DelayAfter_ManyFailures_IsCappedAtMaxDelayWithoutOverflow(int failedAttempts)
    {
        var schedule = new RetrySchedule(new Random(1));

        var delays = Enumerable.Range(0, 200).Select(_ => schedule.DelayAfter(failedAttempts)).ToArray();

        delays.ShouldAllBe(delay => delay >= TimeSpan.FromMinutes(30) && delay <= TimeSpan.FromHours(1));
    }

    [Fact]
    public void DelayAfter_TinyFirstDelayAndHugeCap_DoublesExactlyUpToTheLastBit()
    {
        var schedule = new RetrySchedule(TimeSpan.FromTicks(1), TimeSpan.MaxValue, TimeSpan.FromDays(1), new Random(3));

        var at63 = schedule.DelayAfter(63);
        var at64 = schedule.DelayAfter(64);

        at63.Ticks.ShouldBeInRange(1L << 61, 1L << 62);
        at64.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromTicks(long.MaxValue / 2));
    }

    [Fact]
    public void DelayAfter_NoFailedAttempt_IsMisuse()
    {
        var schedule = new RetrySchedule(new Random(1));

        Should.Throw<ArgumentOutOfRangeException>(() => schedule.DelayAfter(0));
    }

    [Theory]
    [InlineData(0, "00:00:00", false)]
    [InlineData(1, "01:00:00", false)]
    [InlineData(2, "23:59:59", false)]
    [InlineData(3, "1.00:00:00", false)]
    [InlineData(4, "1.00:00:01", true)]
    [InlineData(5, "3.00:00:00", true)]
    public void GivesUp_OnlyWhenTheNextAttemptFallsAfter24Hours(int row, string sinceCreated, bool givesUp)
    {
        var schedule = new RetrySchedule(new Random(row));

        var result = schedule.GivesUp(CreatedAt, CreatedAt + TimeSpan.Parse(sinceCreated, System.Globalization.CultureInfo.InvariantCulture));

        result.ShouldBe(givesUp);
    }

    [Theory]
    [InlineData(0, 3600, 86400)]
    [InlineData(-1, 3600, 86400)]
    [InlineData(10, 0, 86400)]
    [InlineData(10, 5, 86400)]
    [InlineData(10, 3600, 0)]
    [InlineData(10, 3600, -1)]
    public void Constructor_NonPositiveOrFirstAboveMax_IsRefused(int firstSeconds, int maxSeconds, int giveUpSeconds)
    {
        var construct = () => new RetrySchedule(
            TimeSpan.FromSeconds(firstSeconds), TimeSpan.FromSeconds(maxSeconds), TimeSpan.FromSeconds(giveUpSeconds), new Random(1));

        Should.Throw<ArgumentOutOfRangeException>(construct);
    }
}
