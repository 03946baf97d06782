using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests.Values;

public sealed class FieldValueTests
{
    [Fact]
    public void FromText_NumericText_CarriesTheNumber()
    {
        var value = FieldValue.FromText("250");

        value.HasNumber.ShouldBeTrue();
        value.Number.ShouldBe(250);
    }

    [Fact]
    public void FromText_IsoDate_CarriesTheInstantAsUtc()
    {
        var value = FieldValue.FromText("2026-03-01T10:00:00+02:00");

        value.HasDate.ShouldBeTrue();
        value.UtcTicks.ShouldBe(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero).UtcTicks);
    }

    [Fact]
    public void FromText_Year_IsANumberButNotADate()
    {
        var value = FieldValue.FromText("2024");

        value.Number.ShouldBe(2024);
        value.HasDate.ShouldBeFalse();
    }

    [Theory]
    [InlineData("Q3-2026")]
    [InlineData("software")]
    public void FromText_PlainWords_AreNeitherNumberNorDate(string text)
    {
        var value = FieldValue.FromText(text);

        value.HasNumber.ShouldBeFalse();
        value.HasDate.ShouldBeFalse();
    }

    [Fact]
    public void FromText_Empty_IsMissing()
    {
        var value = FieldValue.FromText(string.Empty);

        value.IsMissing.ShouldBeTrue();
    }
}
