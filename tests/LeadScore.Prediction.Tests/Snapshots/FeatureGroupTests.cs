using LeadScore.Prediction.Snapshots;

namespace LeadScore.Prediction.Tests.Snapshots;

/// <summary>A reason changes together the features that describe one thing, so a lead it imagines is one that could exist.</summary>
public sealed class FeatureGroupTests
{
    [Theory]
    [InlineData("events:email_click:7d", "events:email_click:90d")]
    [InlineData("pricing-views:7d", "pricing-views:30d")]
    [InlineData("active-days:30d", "days-since-activity")]
    [InlineData("field:signedUp", "field-age:signedUp")]
    [InlineData("score:balanced", "points:balanced:fit")]
    public void Group_FeaturesOfOneThing_AreOneGroup(string one, string other) =>
        FeatureNames.Group(one).ShouldBe(FeatureNames.Group(other));

    [Theory]
    [InlineData("events:email_click:30d", "events:email_open:30d")]
    [InlineData("field:industry", "field:country")]
    [InlineData("visits", "plan")]
    [InlineData("score:balanced", "score:misguided")]
    public void Group_FeaturesOfDifferentThings_AreApart(string one, string other) =>
        FeatureNames.Group(one).ShouldNotBe(FeatureNames.Group(other));
}
