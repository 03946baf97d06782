using System.Collections.Immutable;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Model;

/// <summary>A test on a record's fields or behaviour, as the model format writes it.</summary>
public abstract record Condition;

/// <summary>
/// One field compared by one operator. <see cref="Operands"/> holds one value for most operators,
/// the list for <c>in</c>/<c>notIn</c>, the two bounds for <c>between</c> and none for
/// <c>exists</c>/<c>missing</c>; <see cref="Window"/> is set for <c>withinLast</c> only.
/// </summary>
public sealed record FieldCondition(string Field, ConditionOperator Operator, ImmutableArray<FieldValue> Operands, Duration? Window = null)
    : Condition;

/// <summary>True when every inner condition is.</summary>
public sealed record AllCondition(ImmutableArray<Condition> Conditions) : Condition;

/// <summary>True when at least one inner condition is.</summary>
public sealed record AnyCondition(ImmutableArray<Condition> Conditions) : Condition;

/// <summary>True when the inner condition is not.</summary>
public sealed record NotCondition(Condition Condition) : Condition;

/// <summary>True when enough matching events happened (a behaviour used as a condition).</summary>
public sealed record EventCondition(EventMatch Match) : Condition;
