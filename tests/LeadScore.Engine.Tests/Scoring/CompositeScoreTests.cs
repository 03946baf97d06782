using FsCheck;
using FsCheck.Fluent;
using LeadScore.Engine.Scoring;

namespace LeadScore.Engine.Tests.Scoring;

public sealed class CompositeScoreTests
{
    [Fact]
    public void Encode_MidSizeLeadWithThreeRequirementsAnd89Points_Is2389()
    {
        var score = CompositeScore.Encode(segment: 2, requirementsMet: 3, points: 89);

        score.ShouldBe(2389);
    }

    [Fact]
    public void Encode_PointsAbove99_KeepTwoDigits()
    {
        var score = CompositeScore.Encode(segment: 1, requirementsMet: 0, points: 100);

        score.ShouldBe(1099);
    }

    [Fact]
    public void Decode_2389_IsSegmentTwoThreeRequirements89Points()
    {
        var parts = CompositeScore.Decode(2389);

        parts.ShouldBe((2, 3, 89));
    }

    [Theory]
    [InlineData(10, 0, 0)]
    [InlineData(-1, 0, 0)]
    [InlineData(0, 10, 0)]
    [InlineData(0, 0, -1)]
    public void Encode_PartOutOfRange_Throws(int segment, int requirementsMet, int points)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => CompositeScore.Encode(segment, requirementsMet, points));
    }

    [Fact]
    public void EncodeThenDecode_GivesBackSegmentRequirementsAndPoints()
    {
        var parts = Gen.Choose(0, 9).Three().Select(t => (Segment: t.Item1, Requirements: t.Item2, Points: t.Item3 * 11))
            .ToArbitrary();

        Prop.ForAll(parts, p =>
                CompositeScore.Decode(CompositeScore.Encode(p.Segment, p.Requirements, p.Points))
                == (p.Segment, p.Requirements, Math.Min(p.Points, 99)))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void DecodeThenEncode_GivesBackTheScore()
    {
        Prop.ForAll(Gen.Choose(0, 9999).ToArbitrary(), score =>
            {
                var (segment, requirements, points) = CompositeScore.Decode(score);
                return CompositeScore.Encode(segment, requirements, points) == score;
            })
            .QuickCheckThrowOnFailure();
    }
}
