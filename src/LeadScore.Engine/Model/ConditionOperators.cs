using System.Collections.Frozen;

namespace LeadScore.Engine.Model;

/// <summary>The operators' names as the model format writes them.</summary>
public static class ConditionOperators
{
    private static readonly FrozenDictionary<string, ConditionOperator> ByName = new Dictionary<string, ConditionOperator>
    {
        ["eq"] = ConditionOperator.Eq,
        ["neq"] = ConditionOperator.Neq,
        ["in"] = ConditionOperator.In,
        ["notIn"] = ConditionOperator.NotIn,
        ["contains"] = ConditionOperator.Contains,
        ["startsWith"] = ConditionOperator.StartsWith,
        ["endsWith"] = ConditionOperator.EndsWith,
        ["matches"] = ConditionOperator.Matches,
        ["gt"] = ConditionOperator.Gt,
        ["gte"] = ConditionOperator.Gte,
        ["lt"] = ConditionOperator.Lt,
        ["lte"] = ConditionOperator.Lte,
        ["between"] = ConditionOperator.Between,
        ["exists"] = ConditionOperator.Exists,
        ["missing"] = ConditionOperator.Missing,
        ["before"] = ConditionOperator.Before,
        ["after"] = ConditionOperator.After,
        ["withinLast"] = ConditionOperator.WithinLast,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<ConditionOperator, string> NameOf =
        ByName.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);

    /// <summary>Every operator name, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.OrderBy(p => p.Value).Select(p => p.Key)];

    public static bool TryParse(string name, out ConditionOperator op) => ByName.TryGetValue(name, out op);

    public static string Name(this ConditionOperator op) => NameOf[op];

    /// <summary>The operators a behaviour's <c>count</c> accepts.</summary>
    public static bool IsCountComparison(this ConditionOperator op) =>
        op is ConditionOperator.Eq or ConditionOperator.Gt or ConditionOperator.Gte or ConditionOperator.Lt or ConditionOperator.Lte;
}
