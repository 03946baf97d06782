using LeadScore.Engine.Automations;

namespace LeadScore.Engine.Tests.Automations;

/// <summary>When a score's change crosses a trigger: once per crossing, in the direction it names.</summary>
public sealed class AutomationTriggerTests
{
    private static ScoreState State(int points, string? grade = null, params string[] thresholds) =>
        new(points, points, grade, [.. thresholds], Qualified: true, Disqualified: false, RequirementsMet: true);

    [Fact]
    public void CrossedBy_ScoreAbove_FiresOnTheCrossingOnlyAndAFirstScoreComesFromBelow()
    {
        var mql = new ScoreAboveTrigger(new ScoreLevel("mql", null));

        mql.CrossedBy(State(40), State(60, null, "mql")).ShouldBe("score-above threshold 'mql'");
        mql.CrossedBy(null, State(60, null, "mql")).ShouldNotBeNull();
        mql.CrossedBy(State(60, null, "mql"), State(70, null, "mql")).ShouldBeNull("already above");
        mql.CrossedBy(State(60, null, "mql"), State(40)).ShouldBeNull("going down");
    }

    [Fact]
    public void CrossedBy_ScoreBelowPoints_FiresWhenTheLevelIsLeft()
    {
        var below = new ScoreBelowTrigger(new ScoreLevel(null, 50));

        below.CrossedBy(State(55), State(45)).ShouldBe("score-below 50 points");
        below.CrossedBy(null, State(45)).ShouldBeNull("a first score never falls");
        below.CrossedBy(State(45), State(40)).ShouldBeNull();
    }

    [Fact]
    public void CrossedBy_GradeChangedTo_FiresOnlyForThatGrade()
    {
        var toA = new GradeChangedTrigger(null, "A");

        toA.CrossedBy(State(60, "B"), State(80, "A")).ShouldBe("grade-changed B to A");
        toA.CrossedBy(State(80, "A"), State(60, "B")).ShouldBeNull();
        new EventReceivedTrigger("demo_requested").CrossedBy(State(0), State(90, "A")).ShouldBeNull("events are not score changes");
    }
}
