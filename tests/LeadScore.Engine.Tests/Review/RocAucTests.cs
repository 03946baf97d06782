using LeadScore.Engine.Review;

namespace LeadScore.Engine.Tests.Review;

public sealed class RocAucTests
{
    [Fact]
    public void Of_PerfectRankingIsOneReversedIsZeroAllTiedIsHalf()
    {
        (double, bool)[] perfect = [(1, false), (2, false), (3, true), (4, true)];
        (double, bool)[] reversed = [(1, true), (2, true), (3, false), (4, false)];
        (double, bool)[] tied = [(5, true), (5, false), (5, true), (5, false)];

        RocAuc.Of(perfect).ShouldBe(1);
        RocAuc.Of(reversed).ShouldBe(0);
        RocAuc.Of(tied).ShouldBe(0.5);
    }
}
