namespace LeadScore.Engine.Parsing;

/// <summary>The codes of model errors and warnings; they are part of the public contract.</summary>
public static class DiagnosticCodes
{
    // Errors: the model cannot be used.
    public const string MalformedJson = "malformed-json";
    public const string WrongType = "wrong-type";
    public const string MissingProperty = "missing-property";
    public const string UnknownProperty = "unknown-property";
    public const string UnknownCategory = "unknown-category";
    public const string DuplicateKey = "duplicate-key";
    public const string InvalidRegex = "invalid-regex";
    public const string UnknownOperator = "unknown-operator";
    public const string BadDuration = "bad-duration";
    public const string NegativeBudget = "negative-budget";
    public const string InvalidValue = "invalid-value";
    public const string BadOperand = "bad-operand";
    public const string MisplacedBehaviour = "misplaced-behaviour";
    public const string TooManyRequirements = "too-many-requirements";

    // Warnings: the model works, but it repeats a classic mistake of lead scoring.
    public const string SingleDimension = "single-dimension";
    public const string UnbalancedDimensions = "unbalanced-dimensions";
    public const string BudgetsNotScale = "budgets-not-scale";
    public const string TooFewRules = "too-few-rules";
    public const string RuleReachesThreshold = "rule-reaches-threshold";
    public const string UnreachableThreshold = "unreachable-threshold";
    public const string NoCriticalRule = "no-critical-rule";
    public const string RuleExceedsBudget = "rule-exceeds-budget";
    public const string EmptyCategory = "empty-category";
}
