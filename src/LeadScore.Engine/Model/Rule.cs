namespace LeadScore.Engine.Model;

/// <summary>
/// Points a lead earns in a category when a condition on its fields (<see cref="When"/>) holds, a
/// behaviour (<see cref="Event"/>) happened, or both. Behaviour rules award once or per occurrence
/// (up to <see cref="MaxPoints"/>) and may decay.
/// </summary>
public sealed record Rule(
    string Key,
    string Category,
    double Points,
    Condition? When = null,
    EventMatch? Event = null,
    Award Per = Award.Once,
    double? MaxPoints = null,
    Decay? Decay = null,
    bool Critical = false,
    string? Name = null,
    string? Description = null)
{
    /// <summary>The most this rule can add (or, for negative points, remove) before category caps.</summary>
    public double MaxMagnitude => Per == Award.PerOccurrence
        ? MaxPoints ?? double.PositiveInfinity
        : Math.Abs(Points);
}
