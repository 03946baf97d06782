namespace LeadScore.Engine.Model;

/// <summary>
/// Which events a behaviour counts: of <see cref="Type"/>, whose properties satisfy
/// <see cref="Where"/>, no older than <see cref="Within"/> (all history when absent), and how many
/// of them are needed (<see cref="Count"/>, at least one when absent).
/// </summary>
public sealed record EventMatch(string Type, Condition? Where, Values.Duration? Within, CountCheck? Count);

/// <summary>A comparison of the number of matching events with a whole number, such as <c>{"gte": 2}</c>.</summary>
public sealed record CountCheck(ConditionOperator Operator, int Value)
{
    /// <summary>At least one event: the behaviour's default.</summary>
    public static CountCheck AtLeastOne { get; } = new(ConditionOperator.Gte, 1);

    public bool IsSatisfiedBy(int count) => Operator switch
    {
        ConditionOperator.Eq => count == Value,
        ConditionOperator.Gt => count > Value,
        ConditionOperator.Gte => count >= Value,
        ConditionOperator.Lt => count < Value,
        ConditionOperator.Lte => count <= Value,
        _ => throw new InvalidOperationException($"'{Operator}' does not compare counts."),
    };
}
