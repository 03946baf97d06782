using System.Globalization;
using System.Text.RegularExpressions;
using LeadScore.Engine.Model;

namespace LeadScore.Engine.Parsing;

/// <summary>
/// Checks a model's meaning: errors that make it unusable (a rule in an unknown category, a bad
/// regex...) and warnings for the classic mistakes of lead scoring (only fit scored, one rule that
/// reaches MQL alone, a threshold nobody can reach...).
/// </summary>
public static class ModelValidator
{
    /// <summary>Below this share of the scale, a dimension is too small to tell leads apart.</summary>
    private const double MinDimensionShare = 0.30;

    private const int MinRules = 5;

    internal static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    public static ModelValidation Validate(ScoringModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var errors = new List<ModelDiagnostic>();
        var warnings = new List<ModelDiagnostic>();

        CheckShape(model, errors);
        CheckRules(model, errors);
        CheckConditions(model, errors);
        if (errors.Count == 0)
        {
            WarnAboutMethod(model, warnings);
        }

        return new ModelValidation(model, [.. errors], [.. warnings]);
    }

    private static void CheckShape(ScoringModel model, List<ModelDiagnostic> errors)
    {
        if (model.Encoding == ScoreEncoding.Composite && model.Scale > ScoringModel.MaxCompositePoints + 1)
        {
            errors.Add(new("$.scale", DiagnosticCodes.InvalidValue,
                $"A composite score keeps points in two digits, so its scale is at most 100, not {model.Scale}; use \"encoding\": \"points\" for a larger scale."));
        }

        if (model.Categories.IsEmpty)
        {
            errors.Add(new("$.categories", DiagnosticCodes.InvalidValue,
                "A model needs at least one category; start with a fit and an engagement category, such as 50 points each."));
        }

        if (model.Encoding == ScoreEncoding.Composite && model.Requirements.Length > ScoringModel.MaxCompositeRequirements)
        {
            errors.Add(new("$.requirements", DiagnosticCodes.TooManyRequirements,
                $"A composite score counts requirements in one digit, so at most {ScoringModel.MaxCompositeRequirements}, not {model.Requirements.Length}; merge some with 'all'."));
        }

        ReportDuplicates(model.Categories.Select(c => c.Key), "$.categories", "key", errors);
        ReportDuplicates(model.Rules.Select(r => r.Key), "$.rules", "key", errors);
        ReportDuplicates(model.Requirements.Select(r => r.Key), "$.requirements", "key", errors);
        ReportDuplicates(model.Disqualifiers.Select(d => d.Key), "$.disqualifiers", "key", errors);
        ReportDuplicates(model.Thresholds.Select(t => t.Key), "$.thresholds", "key", errors);
        ReportDuplicates(model.Grades.Select(g => g.Grade), "$.grades", "grade", errors);
        ReportDuplicates(model.Grades.Select(g => g.Min.ToString(CultureInfo.InvariantCulture)), "$.grades", "min", errors);

        for (var i = 0; i < model.Categories.Length; i++)
        {
            if (model.Categories[i].Budget < 0)
            {
                errors.Add(new($"$.categories[{i}].budget", DiagnosticCodes.NegativeBudget,
                    $"Category '{model.Categories[i].Key}' has a negative budget ({Format(model.Categories[i].Budget)}); a budget is the most a category can add, 0 or more."));
            }
        }
    }

    private static void CheckRules(ScoringModel model, List<ModelDiagnostic> errors)
    {
        var categories = model.Categories.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < model.Rules.Length; i++)
        {
            var rule = model.Rules[i];
            var path = $"$.rules[{i}]";
            if (!categories.Contains(rule.Category))
            {
                errors.Add(new($"{path}.category", DiagnosticCodes.UnknownCategory,
                    $"Rule '{rule.Key}' is in category '{rule.Category}', which the model does not define; use one of {string.Join(", ", categories)}."));
            }

            if (rule.Event is null && rule.Per == Award.PerOccurrence)
            {
                errors.Add(new($"{path}.per", DiagnosticCodes.InvalidValue,
                    $"Rule '{rule.Key}' awards points per occurrence but has no 'event' to count."));
            }

            if (rule.Event is null && rule.Decay is not null)
            {
                errors.Add(new($"{path}.decay", DiagnosticCodes.InvalidValue,
                    $"Rule '{rule.Key}' decays, but only behaviours ('event') age; remove 'decay' or add an 'event'."));
            }

            if (rule.MaxPoints is { } max && (max <= 0 || rule.Per != Award.PerOccurrence))
            {
                errors.Add(new($"{path}.maxPoints", DiagnosticCodes.InvalidValue, max <= 0
                    ? $"Rule '{rule.Key}' has maxPoints {Format(max)}; it is the most the rule adds (or removes), above 0."
                    : $"Rule '{rule.Key}' has maxPoints but awards once; maxPoints goes with \"per\": \"occurrence\"."));
            }

            if (rule.Per == Award.PerOccurrence && rule.Event?.Count is { Operator: not (ConditionOperator.Gte or ConditionOperator.Gt) })
            {
                errors.Add(new($"{path}.event.count", DiagnosticCodes.InvalidValue,
                    $"Rule '{rule.Key}' awards per occurrence, so its count is a minimum ('gte' or 'gt')."));
            }
        }
    }

    private static void CheckConditions(ScoringModel model, List<ModelDiagnostic> errors)
    {
        for (var i = 0; i < model.Requirements.Length; i++)
        {
            CheckCondition(model.Requirements[i].When, $"$.requirements[{i}].when", insideWhere: false, errors);
        }

        for (var i = 0; i < model.Disqualifiers.Length; i++)
        {
            CheckCondition(model.Disqualifiers[i].When, $"$.disqualifiers[{i}].when", insideWhere: false, errors);
        }

        for (var i = 0; i < model.Segments.Length; i++)
        {
            CheckCondition(model.Segments[i].When, $"$.segment[{i}].when", insideWhere: false, errors);
        }

        for (var i = 0; i < model.Rules.Length; i++)
        {
            if (model.Rules[i].When is { } when)
            {
                CheckCondition(when, $"$.rules[{i}].when", insideWhere: false, errors);
            }

            if (model.Rules[i].Event?.Where is { } where)
            {
                CheckCondition(where, $"$.rules[{i}].event.where", insideWhere: true, errors);
            }
        }
    }

    internal static void CheckCondition(Condition condition, string path, bool insideWhere, List<ModelDiagnostic> errors)
    {
        switch (condition)
        {
            case AllCondition all:
                for (var i = 0; i < all.Conditions.Length; i++)
                {
                    CheckCondition(all.Conditions[i], $"{path}.all[{i}]", insideWhere, errors);
                }

                break;
            case AnyCondition any:
                for (var i = 0; i < any.Conditions.Length; i++)
                {
                    CheckCondition(any.Conditions[i], $"{path}.any[{i}]", insideWhere, errors);
                }

                break;
            case NotCondition not:
                CheckCondition(not.Condition, $"{path}.not", insideWhere, errors);
                break;
            case EventCondition behaviour when insideWhere:
                errors.Add(new($"{path}.event", DiagnosticCodes.MisplacedBehaviour,
                    $"A 'where' filters one event's properties, so it cannot hold a behaviour ('{behaviour.Match.Type}')."));
                break;
            case EventCondition behaviour when behaviour.Match.Where is { } where:
                CheckCondition(where, $"{path}.event.where", insideWhere: true, errors);
                break;
            case FieldCondition { Operator: ConditionOperator.Matches } field:
                try
                {
                    _ = new Regex(field.Operands[0].Text, RegexOptions.CultureInvariant, RegexTimeout);
                }
                catch (ArgumentException ex)
                {
                    errors.Add(new($"{path}.matches", DiagnosticCodes.InvalidRegex,
                        $"The pattern for '{field.Field}' is not a valid .NET regular expression: {ex.Message}"));
                }

                break;
        }
    }

    private static void WarnAboutMethod(ScoringModel model, List<ModelDiagnostic> warnings)
    {
        var fitBudget = model.Categories.Where(c => c.Dimension == Dimension.Fit).Sum(c => c.Budget);
        var engagementBudget = model.Categories.Where(c => c.Dimension == Dimension.Engagement).Sum(c => c.Budget);
        if (fitBudget <= 0 || engagementBudget <= 0)
        {
            var only = fitBudget > 0 ? "fit (who the lead is)" : "engagement (what the lead does)";
            var missing = fitBudget > 0 ? "engagement" : "fit";
            warnings.Add(new("$.categories", DiagnosticCodes.SingleDimension,
                $"The model scores only {only}; add a {missing} category so that a lead needs both to rank high."));
        }
        else
        {
            foreach (var (name, budget) in new[] { ("fit", fitBudget), ("engagement", engagementBudget) })
            {
                if (budget < MinDimensionShare * model.Scale)
                {
                    warnings.Add(new("$.categories", DiagnosticCodes.UnbalancedDimensions,
                        $"{Capitalise(name)} has {Format(budget)} of {model.Scale} points ({Percent(budget / model.Scale)}); under 30% it barely tells leads apart, so move budget towards an even split."));
                }
            }
        }

        var totalBudget = model.Categories.Sum(c => c.Budget);
        if (Math.Abs(totalBudget - model.Scale) > 1e-9)
        {
            warnings.Add(new("$.categories", DiagnosticCodes.BudgetsNotScale,
                $"The category budgets add up to {Format(totalBudget)}, not the scale of {model.Scale}; distribute the scale to categories first, then to rules."));
        }

        if (model.Rules.Length < MinRules)
        {
            warnings.Add(new("$.rules", DiagnosticCodes.TooFewRules,
                $"{model.Rules.Length} rule(s) cannot separate the best leads from the rest; write at least {MinRules}, across fit and engagement."));
        }

        if (!model.Rules.Any(r => r.Critical))
        {
            warnings.Add(new("$.rules", DiagnosticCodes.NoCriticalRule,
                "No behaviour is starred critical; mark the conversion behaviours (demo request, free trial, contact request) with \"critical\": true."));
        }

        var budgets = model.Categories.ToDictionary(c => c.Key, c => c.Budget, StringComparer.Ordinal);
        for (var i = 0; i < model.Categories.Length; i++)
        {
            var category = model.Categories[i];
            if (category.Budget > 0 && !model.Rules.Any(r => r.Category == category.Key && r.Points > 0))
            {
                warnings.Add(new($"$.categories[{i}]", DiagnosticCodes.EmptyCategory,
                    $"Category '{category.Key}' has a budget of {Format(category.Budget)} but no rule that awards points in it."));
            }
        }

        var thresholds = model.Thresholds.OrderBy(t => t.Points).ToArray();
        for (var i = 0; i < model.Rules.Length; i++)
        {
            var rule = model.Rules[i];
            if (rule.Points <= 0)
            {
                continue;
            }

            var budget = budgets[rule.Category];
            if (rule.MaxMagnitude > budget)
            {
                warnings.Add(new($"$.rules[{i}]", DiagnosticCodes.RuleExceedsBudget,
                    $"Rule '{rule.Key}' can award {FormatMax(rule.MaxMagnitude)} points, more than the {Format(budget)} of category '{rule.Category}'; it alone can fill the category."));
            }

            var alone = Math.Min(Math.Min(rule.MaxMagnitude, budget), model.Scale);
            var reached = thresholds.FirstOrDefault(t => alone >= t.Points);
            if (reached is not null)
            {
                warnings.Add(new($"$.rules[{i}]", DiagnosticCodes.RuleReachesThreshold,
                    $"Rule '{rule.Key}' alone can give {Format(alone)} points, enough for threshold '{reached.Key}' ({Format(reached.Points)}); lower its points so that a lead needs several signals."));
            }
        }

        var reachable = MaxReachablePoints(model, budgets);
        for (var i = 0; i < model.Thresholds.Length; i++)
        {
            var threshold = model.Thresholds[i];
            if (threshold.Points > reachable)
            {
                warnings.Add(new($"$.thresholds[{i}].points", DiagnosticCodes.UnreachableThreshold,
                    $"Threshold '{threshold.Key}' needs {Format(threshold.Points)} points, but the rules and budgets allow at most {Format(reachable)}; no lead can reach it."));
            }
        }
    }

    private static double MaxReachablePoints(ScoringModel model, Dictionary<string, double> budgets)
    {
        var total = 0.0;
        foreach (var (category, budget) in budgets)
        {
            var fromRules = model.Rules.Where(r => r.Category == category && r.Points > 0).Sum(r => r.MaxMagnitude);
            total += Math.Min(Math.Max(budget, 0), fromRules);
        }

        // Thresholds compare points, which reach the scale even where a composite score shows at most 99.
        return Math.Min(total, model.Scale);
    }

    private static void ReportDuplicates(IEnumerable<string> keys, string listPath, string property, List<ModelDiagnostic> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var key in keys)
        {
            if (!seen.Add(key))
            {
                errors.Add(new($"{listPath}[{index}].{property}", DiagnosticCodes.DuplicateKey,
                    $"'{key}' is used twice in {listPath[2..]}; each {property} must be unique."));
            }

            index++;
        }
    }

    private static string Format(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private static string FormatMax(double value) => double.IsPositiveInfinity(value) ? "unlimited" : Format(value);

    private static string Percent(double share) => share.ToString("P0", CultureInfo.InvariantCulture);

    private static string Capitalise(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
