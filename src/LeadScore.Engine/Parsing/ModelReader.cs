using System.Collections.Immutable;
using System.Text.Json;
using LeadScore.Engine.Model;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Parsing;

/// <summary>
/// Turns a JSON document into a <see cref="ScoringModel"/>, collecting every shape error (with its
/// JSON path) instead of stopping at the first, so that an author fixes a model in one pass.
/// </summary>
internal sealed class ModelReader
{
    private static readonly string[] ModelProperties =
        ["$schema", "key", "name", "description", "target", "scale", "encoding", "categories", "requirements",
         "disqualifiers", "segment", "rules", "thresholds", "grades"];

    private static readonly string[] CategoryProperties = ["key", "name", "dimension", "budget"];
    private static readonly string[] GuardProperties = ["key", "name", "when"];
    private static readonly string[] SegmentProperties = ["digit", "name", "when"];
    private static readonly string[] ThresholdProperties = ["key", "name", "points"];
    private static readonly string[] GradeProperties = ["grade", "min"];
    private static readonly string[] EventProperties = ["type", "where", "within", "count"];
    private static readonly string[] DecayProperties = ["expiresAfter", "halfLife"];

    private static readonly string[] RuleProperties =
        ["key", "name", "description", "category", "points", "critical", "when", "event", "per", "maxPoints", "decay"];

    private readonly JsonDiagnostics _json = new();

    // For each list read ("$.rules"), the index in the document of each item kept: an item that could
    // not be read is left out, so the model's rules[1] may be the document's rules[2].
    private readonly Dictionary<string, List<int>> _sourceIndices = new(StringComparer.Ordinal);

    public IReadOnlyList<ModelDiagnostic> Errors => _json.Errors;

    /// <summary>The path in the document of a path in the model read (they differ after an item that could not be read).</summary>
    public string ToSourcePath(string modelPath)
    {
        var open = modelPath.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : modelPath.IndexOf(']', open);
        if (close < 0 || !_sourceIndices.TryGetValue(modelPath[..open], out var indices)
            || !int.TryParse(modelPath.AsSpan(open + 1, close - open - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            || index >= indices.Count)
        {
            return modelPath;
        }

        return $"{modelPath[..open]}[{indices[index].ToString(System.Globalization.CultureInfo.InvariantCulture)}]{modelPath[(close + 1)..]}";
    }

    public ScoringModel? ReadModel(JsonElement root)
    {
        if (!_json.ExpectObject(root, "$", ModelProperties))
        {
            return null;
        }

        var key = _json.RequiredString(root, "key", "$") ?? string.Empty;
        var name = _json.OptionalString(root, "name", "$") ?? key;
        var description = _json.OptionalString(root, "description", "$");
        var target = OptionalEnum(root, "target", "$", RecordKind.Contact, ["contact", "company", "deal"]);
        var scale = _json.OptionalNumber(root, "scale", "$") is { } s ? ToWholeNumber(s, "$.scale") : ScoringModel.DefaultScale;
        var encoding = OptionalEnum(root, "encoding", "$", ScoreEncoding.Composite, ["composite", "points"]);

        var categories = ReadList(root, "categories", "$", required: true, ReadCategory);
        var requirements = ReadList(root, "requirements", "$", required: false, (e, p) => ReadGuard(e, p, (k, w, n) => new Requirement(k, w, n)));
        var disqualifiers = ReadList(root, "disqualifiers", "$", required: false, (e, p) => ReadGuard(e, p, (k, w, n) => new Disqualifier(k, w, n)));
        var segments = ReadList(root, "segment", "$", required: false, ReadSegment);
        var rules = ReadList(root, "rules", "$", required: true, ReadRule);
        var thresholds = ReadList(root, "thresholds", "$", required: false, ReadThreshold);
        var grades = ReadList(root, "grades", "$", required: false, ReadGrade);

        return new ScoringModel(key, name, target, scale, encoding, categories, requirements, disqualifiers, segments, rules,
            thresholds, grades, description);
    }

    private Category? ReadCategory(JsonElement element, string path)
    {
        if (!_json.ExpectObject(element, path, CategoryProperties))
        {
            return null;
        }

        var key = _json.RequiredString(element, "key", path);
        var name = _json.OptionalString(element, "name", path);
        var dimension = RequiredEnum(element, "dimension", path, ["fit", "engagement"], Dimension.Fit);
        var budget = _json.RequiredNumber(element, "budget", path);
        return key is null || budget is null ? null : new Category(key, dimension, budget.Value, name);
    }

    private T? ReadGuard<T>(JsonElement element, string path, Func<string, Condition, string?, T> create)
        where T : class
    {
        if (!_json.ExpectObject(element, path, GuardProperties))
        {
            return null;
        }

        var key = _json.RequiredString(element, "key", path);
        var name = _json.OptionalString(element, "name", path);
        var when = RequiredCondition(element, "when", path);
        return key is null || when is null ? null : create(key, when, name);
    }

    private SegmentEntry? ReadSegment(JsonElement element, string path)
    {
        if (!_json.ExpectObject(element, path, SegmentProperties))
        {
            return null;
        }

        var digit = _json.RequiredNumber(element, "digit", path);
        var name = _json.OptionalString(element, "name", path);
        var when = RequiredCondition(element, "when", path);
        if (digit is { } d && (d != Math.Floor(d) || d is < 0 or > 9))
        {
            _json.Error($"{path}.digit", DiagnosticCodes.InvalidValue, $"A segment digit is a whole number from 0 to 9, not {JsonDiagnostics.Format(d)}.");
            return null;
        }

        return digit is null || when is null ? null : new SegmentEntry((int)digit.Value, when, name);
    }

    private Threshold? ReadThreshold(JsonElement element, string path)
    {
        if (!_json.ExpectObject(element, path, ThresholdProperties))
        {
            return null;
        }

        var key = _json.RequiredString(element, "key", path);
        var name = _json.OptionalString(element, "name", path);
        var points = _json.RequiredNumber(element, "points", path);
        return key is null || points is null ? null : new Threshold(key, points.Value, name);
    }

    private GradeBand? ReadGrade(JsonElement element, string path)
    {
        if (!_json.ExpectObject(element, path, GradeProperties))
        {
            return null;
        }

        var grade = _json.RequiredString(element, "grade", path);
        var min = _json.RequiredNumber(element, "min", path);
        return grade is null || min is null ? null : new GradeBand(grade, min.Value);
    }

    private Rule? ReadRule(JsonElement element, string path)
    {
        if (!_json.ExpectObject(element, path, RuleProperties))
        {
            return null;
        }

        var key = _json.RequiredString(element, "key", path);
        var name = _json.OptionalString(element, "name", path);
        var description = _json.OptionalString(element, "description", path);
        var category = _json.RequiredString(element, "category", path);
        var points = _json.RequiredNumber(element, "points", path);
        var critical = _json.OptionalBoolean(element, "critical", path) ?? false;
        var when = element.TryGetProperty("when", out var whenElement) ? ReadCondition(whenElement, $"{path}.when") : null;
        var behaviour = element.TryGetProperty("event", out var eventElement) ? ReadEventMatch(eventElement, $"{path}.event") : null;
        var per = OptionalEnum(element, "per", path, Award.Once, ["once", "occurrence"]);
        var maxPoints = _json.OptionalNumber(element, "maxPoints", path);
        var decay = element.TryGetProperty("decay", out var decayElement) ? ReadDecay(decayElement, $"{path}.decay") : null;

        if (!element.TryGetProperty("when", out _) && !element.TryGetProperty("event", out _))
        {
            _json.Error(path, DiagnosticCodes.MissingProperty,
                "A rule needs 'when' (a condition on fields) or 'event' (a behaviour), or both.");
        }

        if (key is null || category is null || points is null)
        {
            return null;
        }

        return new Rule(key, category, points.Value, when, behaviour, per, maxPoints, decay, critical, name, description);
    }

    private Decay? ReadDecay(JsonElement element, string path)
    {
        if (!_json.ExpectObject(element, path, DecayProperties))
        {
            return null;
        }

        var expires = OptionalDuration(element, "expiresAfter", path);
        var halfLife = OptionalDuration(element, "halfLife", path);
        if (expires is not null && halfLife is not null)
        {
            _json.Error(path, DiagnosticCodes.InvalidValue, "A decay is either 'expiresAfter' or 'halfLife', not both.");
            return null;
        }

        if (expires is null && halfLife is null)
        {
            if (!element.TryGetProperty("expiresAfter", out _) && !element.TryGetProperty("halfLife", out _))
            {
                _json.Error(path, DiagnosticCodes.MissingProperty, "A decay needs 'expiresAfter' or 'halfLife', such as {\"halfLife\": \"30d\"}.");
            }

            return null;
        }

        return expires is { } e ? new ExpiresAfterDecay(e) : new HalfLifeDecay(halfLife!.Value);
    }

    private EventMatch? ReadEventMatch(JsonElement element, string path)
    {
        if (!_json.ExpectObject(element, path, EventProperties))
        {
            return null;
        }

        var type = _json.RequiredString(element, "type", path);
        var where = element.TryGetProperty("where", out var whereElement) ? ReadCondition(whereElement, $"{path}.where") : null;
        var within = OptionalDuration(element, "within", path);
        var count = element.TryGetProperty("count", out var countElement) ? ReadCount(countElement, $"{path}.count") : null;
        return type is null ? null : new EventMatch(type, where, within, count);
    }

    private CountCheck? ReadCount(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            return ToCount(element, path, ConditionOperator.Gte);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            _json.WrongType(path, "an object such as {\"gte\": 2}", element);
            return null;
        }

        var properties = element.EnumerateObject().ToArray();
        if (properties.Length != 1 || !ConditionOperators.TryParse(properties[0].Name, out var op) || !op.IsCountComparison())
        {
            _json.Error(path, DiagnosticCodes.UnknownOperator,
                "A count compares with exactly one of eq, gt, gte, lt, lte, such as {\"gte\": 2}.");
            return null;
        }

        return ToCount(properties[0].Value, $"{path}.{properties[0].Name}", op);
    }

    private CountCheck? ToCount(JsonElement element, string path, ConditionOperator op)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value) || value < 0)
        {
            _json.Error(path, DiagnosticCodes.InvalidValue, $"A count is a whole number of events, 0 or more, not {element.GetRawText()}.");
            return null;
        }

        return new CountCheck(op, value);
    }

    private Condition? RequiredCondition(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var element))
        {
            _json.Error(path, DiagnosticCodes.MissingProperty, $"'{name}' is required here: a condition such as {{\"field\": \"country\", \"eq\": \"US\"}}.");
            return null;
        }

        return ReadCondition(element, $"{path}.{name}");
    }

    internal Condition? ReadCondition(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            _json.WrongType(path, "a condition object", element);
            return null;
        }

        if (element.TryGetProperty("all", out _) || element.TryGetProperty("any", out _) || element.TryGetProperty("not", out _)
            || element.TryGetProperty("event", out _))
        {
            var properties = element.EnumerateObject().ToArray();
            if (properties.Length != 1)
            {
                _json.Error(path, DiagnosticCodes.InvalidValue,
                    $"A combining condition has exactly one of 'all', 'any', 'not' or 'event', but this one has {string.Join(", ", properties.Select(p => $"'{p.Name}'"))}.");
                return null;
            }

            var inner = properties[0];
            var innerPath = $"{path}.{inner.Name}";
            return inner.Name switch
            {
                "all" => ReadConditionList(inner.Value, innerPath) is { } all ? new AllCondition(all) : null,
                "any" => ReadConditionList(inner.Value, innerPath) is { } any ? new AnyCondition(any) : null,
                "not" => ReadCondition(inner.Value, innerPath) is { } not ? new NotCondition(not) : null,
                _ => ReadEventMatch(inner.Value, innerPath) is { } match ? new EventCondition(match) : null,
            };
        }

        return ReadFieldCondition(element, path);
    }

    private ImmutableArray<Condition>? ReadConditionList(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            _json.WrongType(path, "an array of conditions", element);
            return null;
        }

        var conditions = ImmutableArray.CreateBuilder<Condition>();
        var index = 0;
        var failed = false;
        foreach (var item in element.EnumerateArray())
        {
            var condition = ReadCondition(item, $"{path}[{index++}]");
            failed |= condition is null;
            if (condition is not null)
            {
                conditions.Add(condition);
            }
        }

        if (index == 0)
        {
            _json.Error(path, DiagnosticCodes.InvalidValue, "An empty list of conditions; give at least one.");
            return null;
        }

        return failed ? null : conditions.ToImmutable();
    }

    private FieldCondition? ReadFieldCondition(JsonElement element, string path)
    {
        if (!element.TryGetProperty("field", out var fieldElement))
        {
            _json.Error(path, DiagnosticCodes.MissingProperty,
                "A condition needs 'field' and an operator (such as {\"field\": \"country\", \"eq\": \"US\"}), or 'all', 'any', 'not' or 'event'.");
            return null;
        }

        if (fieldElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(fieldElement.GetString()))
        {
            _json.WrongType($"{path}.field", "a field name", fieldElement);
            return null;
        }

        var field = fieldElement.GetString()!;
        var operators = element.EnumerateObject().Where(p => p.Name != "field").ToArray();
        if (operators.Length == 0)
        {
            _json.Error(path, DiagnosticCodes.MissingProperty,
                $"The condition on '{field}' has no operator; use one of {string.Join(", ", ConditionOperators.Names)}.");
            return null;
        }

        ConditionOperator? found = null;
        JsonElement operand = default;
        var operandName = string.Empty;
        foreach (var property in operators)
        {
            if (!ConditionOperators.TryParse(property.Name, out var op))
            {
                _json.Error($"{path}.{property.Name}", DiagnosticCodes.UnknownOperator,
                    $"Unknown operator '{property.Name}'; use one of {string.Join(", ", ConditionOperators.Names)}.");
                return null;
            }

            if (found is not null)
            {
                _json.Error(path, DiagnosticCodes.InvalidValue,
                    $"A condition has one operator, but this one has {string.Join(", ", operators.Select(p => $"'{p.Name}'"))}; combine several with 'all'.");
                return null;
            }

            found = op;
            operand = property.Value;
            operandName = property.Name;
        }

        return ReadOperand(field, found!.Value, operand, $"{path}.{operandName}");
    }

    private FieldCondition? ReadOperand(string field, ConditionOperator op, JsonElement operand, string path)
    {
        switch (op)
        {
            case ConditionOperator.Eq or ConditionOperator.Neq:
                return ScalarOperand(operand, path) is { } value ? new FieldCondition(field, op, [value]) : null;

            case ConditionOperator.In or ConditionOperator.NotIn:
                if (operand.ValueKind != JsonValueKind.Array || operand.GetArrayLength() == 0)
                {
                    _json.Error(path, DiagnosticCodes.BadOperand, $"'{op.Name()}' takes a non-empty list of values, such as [\"US\", \"CA\"].");
                    return null;
                }

                var values = ImmutableArray.CreateBuilder<FieldValue>();
                var index = 0;
                foreach (var item in operand.EnumerateArray())
                {
                    if (ScalarOperand(item, $"{path}[{index++}]") is not { } itemValue)
                    {
                        return null;
                    }

                    values.Add(itemValue);
                }

                return new FieldCondition(field, op, values.ToImmutable());

            case ConditionOperator.Contains or ConditionOperator.StartsWith or ConditionOperator.EndsWith or ConditionOperator.Matches:
                if (operand.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(operand.GetString()))
                {
                    _json.Error(path, DiagnosticCodes.BadOperand, $"'{op.Name()}' takes non-empty text.");
                    return null;
                }

                return new FieldCondition(field, op, [FieldValue.FromText(operand.GetString())]);

            case ConditionOperator.Gt or ConditionOperator.Gte or ConditionOperator.Lt or ConditionOperator.Lte:
                return OrderedOperand(operand, path, op) is { } bound ? new FieldCondition(field, op, [bound]) : null;

            case ConditionOperator.Between:
                if (operand.ValueKind != JsonValueKind.Array || operand.GetArrayLength() != 2)
                {
                    _json.Error(path, DiagnosticCodes.BadOperand, "'between' takes two bounds, such as [10, 50] (both included).");
                    return null;
                }

                var low = OrderedOperand(operand[0], $"{path}[0]", op);
                var high = OrderedOperand(operand[1], $"{path}[1]", op);
                if (low is not { } lo || high is not { } hi)
                {
                    return null;
                }

                if (lo.HasNumber != hi.HasNumber)
                {
                    _json.Error(path, DiagnosticCodes.BadOperand, "The bounds of 'between' are both numbers or both dates.");
                    return null;
                }

                if (lo.HasNumber ? lo.Number > hi.Number : lo.UtcTicks > hi.UtcTicks)
                {
                    _json.Error(path, DiagnosticCodes.BadOperand, $"The bounds of 'between' are in the wrong order: {lo} is above {hi}.");
                    return null;
                }

                return new FieldCondition(field, op, [lo, hi]);

            case ConditionOperator.Exists or ConditionOperator.Missing:
                if (operand.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    _json.Error(path, DiagnosticCodes.BadOperand, $"'{op.Name()}' takes true (or false for the opposite).");
                    return null;
                }

                var wanted = operand.GetBoolean() == (op == ConditionOperator.Exists) ? ConditionOperator.Exists : ConditionOperator.Missing;
                return new FieldCondition(field, wanted, []);

            case ConditionOperator.Before or ConditionOperator.After:
                if (operand.ValueKind != JsonValueKind.String || !IsoDate.TryParse(operand.GetString(), out var date))
                {
                    _json.Error(path, DiagnosticCodes.BadOperand, $"'{op.Name()}' takes an ISO 8601 date, such as \"2026-01-31\".");
                    return null;
                }

                return new FieldCondition(field, op, [FieldValue.FromDate(date)]);

            default:
                var window = DurationOperand(operand, path);
                return window is null ? null : new FieldCondition(field, op, [], window);
        }
    }

    private FieldValue? ScalarOperand(JsonElement operand, string path)
    {
        switch (operand.ValueKind)
        {
            case JsonValueKind.String:
                return FieldValue.FromText(operand.GetString()) is { IsMissing: false } text
                    ? text
                    : Fail("An empty text never matches; to test for no value use {\"missing\": true}.");
            case JsonValueKind.Number:
                return double.IsFinite(operand.GetDouble())
                    ? FieldValue.FromNumber(operand.GetDouble())
                    : Fail(JsonDiagnostics.TooLarge);
            case JsonValueKind.True or JsonValueKind.False:
                return FieldValue.FromBoolean(operand.GetBoolean());
            default:
                return Fail($"A value here is text, a number or true/false, not {JsonDiagnostics.Describe(operand)}.");
        }

        FieldValue? Fail(string message)
        {
            _json.Error(path, DiagnosticCodes.BadOperand, message);
            return null;
        }
    }

    private FieldValue? OrderedOperand(JsonElement operand, string path, ConditionOperator op)
    {
        if (operand.ValueKind == JsonValueKind.Number)
        {
            if (!double.IsFinite(operand.GetDouble()))
            {
                _json.Error(path, DiagnosticCodes.BadOperand, JsonDiagnostics.TooLarge);
                return null;
            }

            return FieldValue.FromNumber(operand.GetDouble());
        }

        if (operand.ValueKind == JsonValueKind.String && IsoDate.TryParse(operand.GetString(), out var date))
        {
            return FieldValue.FromDate(date);
        }

        _json.Error(path, DiagnosticCodes.BadOperand, $"'{op.Name()}' compares with a number or an ISO 8601 date, not {operand.GetRawText()}.");
        return null;
    }

    private Duration? DurationOperand(JsonElement operand, string path)
    {
        if (operand.ValueKind == JsonValueKind.String && Duration.TryParse(operand.GetString(), out var duration))
        {
            return duration;
        }

        _json.Error(path, DiagnosticCodes.BadDuration, $"{operand.GetRawText()} is not a duration; write a whole number and a unit: \"12h\", \"30d\" or \"2w\".");
        return null;
    }

    private ImmutableArray<T> ReadList<T>(JsonElement parent, string name, string path, bool required, Func<JsonElement, string, T?> read)
        where T : class
    {
        var listPath = $"{path}.{name}";
        if (!parent.TryGetProperty(name, out var element))
        {
            if (required)
            {
                _json.Error(path, DiagnosticCodes.MissingProperty, $"'{name}' is required.");
            }

            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            _json.WrongType(listPath, "an array", element);
            return [];
        }

        var items = ImmutableArray.CreateBuilder<T>();
        var kept = _sourceIndices[listPath] = [];
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (read(item, $"{listPath}[{index}]") is { } value)
            {
                items.Add(value);
                kept.Add(index);
            }

            index++;
        }

        return items.ToImmutable();
    }

    private Duration? OptionalDuration(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var element) ? DurationOperand(element, $"{path}.{name}") : null;

    private TEnum OptionalEnum<TEnum>(JsonElement parent, string name, string path, TEnum fallback, string[] names)
        where TEnum : struct, Enum =>
        parent.TryGetProperty(name, out _) ? RequiredEnum(parent, name, path, names, fallback) : fallback;

    // The names are listed in the enum's declaration order, so a name's index is its value.
    private TEnum RequiredEnum<TEnum>(JsonElement parent, string name, string path, string[] names, TEnum fallback)
        where TEnum : struct, Enum
    {
        var text = _json.RequiredString(parent, name, path);
        if (text is null)
        {
            return fallback;
        }

        var index = Array.IndexOf(names, text);
        if (index < 0)
        {
            _json.Error($"{path}.{name}", DiagnosticCodes.InvalidValue, $"'{text}' is not a valid {name}; use one of {string.Join(", ", names)}.");
            return fallback;
        }

        return Enum.GetValues<TEnum>()[index];
    }

    private int ToWholeNumber(double value, string path)
    {
        if (value != Math.Floor(value) || value is < 1 or > 1_000_000)
        {
            _json.Error(path, DiagnosticCodes.InvalidValue, $"The scale is a whole number of points from 1 to 1000000, not {JsonDiagnostics.Format(value)}.");
            return ScoringModel.DefaultScale;
        }

        return (int)value;
    }
}
