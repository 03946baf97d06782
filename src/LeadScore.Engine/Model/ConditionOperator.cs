namespace LeadScore.Engine.Model;

/// <summary>How a field condition compares a field with its operand.</summary>
public enum ConditionOperator
{
    Eq,
    Neq,
    In,
    NotIn,
    Contains,
    StartsWith,
    EndsWith,
    Matches,
    Gt,
    Gte,
    Lt,
    Lte,
    Between,
    Exists,
    Missing,
    Before,
    After,
    WithinLast,
}
