using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests.Values;

public sealed class DurationTests
{
    [Theory]
    [InlineData("12h", 12 * 60)]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("2w", 14 * 24 * 60)]
    [InlineData("1h", 60)]
    public void TryParse_NumberAndUnit_GivesThatLength(string text, int minutes)
    {
        var parsed = Duration.TryParse(text, out var duration);

        parsed.ShouldBeTrue();
        duration.Length.ShouldBe(TimeSpan.FromMinutes(minutes));
    }

    [Fact]
    public void TryParse_ValidText_KeepsTheTextAsWritten()
    {
        var parsed = Duration.TryParse("2w", out var duration);

        parsed.ShouldBeTrue();
        duration.ToString().ShouldBe("2w");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    [InlineData("d")]
    [InlineData("30")]
    [InlineData("0d")]
    [InlineData("-3d")]
    [InlineData("+3d")]
    [InlineData("1.5d")]
    [InlineData("30 d")]
    [InlineData(" 30d")]
    [InlineData("30days")]
    [InlineData("3m")]
    [InlineData("3y")]
    public void TryParse_BadText_Fails(string? text)
    {
        var parsed = Duration.TryParse(text, out _);

        parsed.ShouldBeFalse();
    }

    // A window longer than TimeSpan can hold is bad input like any other: it must fail, not throw,
    // because ScoringModelJson.Parse promises never to throw for bad input.
    [Theory]
    [InlineData("99999999d")]
    [InlineData("2000000w")]
    [InlineData("2147483647h")]
    public void TryParse_LengthBeyondTimeSpan_FailsInsteadOfThrowing(string text)
    {
        var parsed = Should.NotThrow(() => Duration.TryParse(text, out _));

        parsed.ShouldBeFalse();
    }
}
