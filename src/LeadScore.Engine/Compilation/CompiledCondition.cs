using System.Buffers;
using System.Text.RegularExpressions;
using LeadScore.Engine.Model;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Compilation;

/// <summary>
/// A condition turned into objects that evaluate directly against a record's fields and the
/// matchers' results: no JSON, no operator names, no parsing left at scoring time.
/// </summary>
internal abstract class CompiledCondition
{
    public const long Never = long.MaxValue;

    public abstract bool Evaluate(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch);

    /// <summary>The earliest instant after the scoring instant at which the result may flip by time alone.</summary>
    public virtual long NextChange(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch) => Never;

    /// <summary>The earliest next change of several conditions (a loop: LINQ's closure would allocate per record).</summary>
    protected static long EarliestChange(CompiledCondition[] conditions, IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch)
    {
        var earliest = Never;
        foreach (var condition in conditions)
        {
            earliest = Math.Min(earliest, condition.NextChange(fields, scratch));
        }

        return earliest;
    }
}

internal sealed class AllOf(CompiledCondition[] conditions) : CompiledCondition
{
    public override bool Evaluate(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch)
    {
        foreach (var condition in conditions)
        {
            if (!condition.Evaluate(fields, scratch))
            {
                return false;
            }
        }

        return true;
    }

    public override long NextChange(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch) =>
        EarliestChange(conditions, fields, scratch);
}

internal sealed class AnyOf(CompiledCondition[] conditions) : CompiledCondition
{
    public override bool Evaluate(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch)
    {
        foreach (var condition in conditions)
        {
            if (condition.Evaluate(fields, scratch))
            {
                return true;
            }
        }

        return false;
    }

    public override long NextChange(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch) =>
        EarliestChange(conditions, fields, scratch);
}

internal sealed class NoneOf(CompiledCondition inner) : CompiledCondition
{
    public override bool Evaluate(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch) =>
        !inner.Evaluate(fields, scratch);

    public override long NextChange(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch) =>
        inner.NextChange(fields, scratch);
}

/// <summary>A behaviour used as a condition: reads what its matcher counted in the event pass.</summary>
internal sealed class BehaviourHappened(EventMatcher matcher) : CompiledCondition
{
    public override bool Evaluate(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch) =>
        matcher.Count.IsSatisfiedBy(scratch.Matchers[matcher.Index].Count);

    public override long NextChange(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch)
    {
        var state = scratch.Matchers[matcher.Index];
        var now = matcher.Count.IsSatisfiedBy(state.Count);
        return Math.Min(state.EarliestFutureTicks,
            matcher.FirstExitWhere(state, scratch, (Matcher: matcher, Now: now), static (remaining, a) => a.Matcher.Count.IsSatisfiedBy(remaining) != a.Now));
    }
}

/// <summary>One field compared by one operator.</summary>
internal sealed class FieldTest : CompiledCondition
{
    /// <summary>The slot of a test that reads something other than the record's fields: an event's properties.</summary>
    public const int NoSlot = -1;

    private readonly string _field;
    private readonly int _slot;
    private readonly ConditionOperator _operator;
    private readonly FieldValue[] _operands;
    private readonly Regex? _pattern;

    // `contains` runs on every URL of every page view a behaviour watches: a vectorised search built once,
    // where string.Contains(OrdinalIgnoreCase) folds the case character by character.
    private readonly SearchValues<string>? _contained;
    private readonly long _windowTicks;

    public FieldTest(FieldCondition condition, int slot)
    {
        _field = condition.Field;
        _slot = slot;
        _operator = condition.Operator;
        _operands = [.. condition.Operands];
        _windowTicks = condition.Window?.Ticks ?? 0;
        if (_operator == ConditionOperator.Matches)
        {
            _pattern = new Regex(_operands[0].Text, RegexOptions.CultureInvariant | RegexOptions.Compiled, Parsing.ModelValidator.RegexTimeout);
        }

        if (_operator == ConditionOperator.Contains)
        {
            _contained = SearchValues.Create([_operands[0].Text], StringComparison.OrdinalIgnoreCase);
        }
    }

    public override bool Evaluate(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch)
    {
        var value = Read(fields, scratch);
        if (value.IsMissing)
        {
            return _operator == ConditionOperator.Missing;
        }

        return _operator switch
        {
            ConditionOperator.Eq => AreEqual(value, _operands[0]),
            ConditionOperator.Neq => !AreEqual(value, _operands[0]),
            ConditionOperator.In => IsAnyOf(value),
            ConditionOperator.NotIn => !IsAnyOf(value),
            ConditionOperator.Contains => value.Text.AsSpan().ContainsAny(_contained!),
            ConditionOperator.StartsWith => value.Text.StartsWith(_operands[0].Text, StringComparison.OrdinalIgnoreCase),
            ConditionOperator.EndsWith => value.Text.EndsWith(_operands[0].Text, StringComparison.OrdinalIgnoreCase),
            ConditionOperator.Matches => IsMatch(value.Text),
            ConditionOperator.Gt => Compare(value, _operands[0]) is > 0 and not int.MinValue,
            ConditionOperator.Gte => Compare(value, _operands[0]) is >= 0 and not int.MinValue,
            ConditionOperator.Lt => Compare(value, _operands[0]) is < 0 and not int.MinValue,
            ConditionOperator.Lte => Compare(value, _operands[0]) is <= 0 and not int.MinValue,
            ConditionOperator.Between => Compare(value, _operands[0]) is >= 0 and not int.MinValue
                && Compare(value, _operands[1]) is <= 0 and not int.MinValue,
            ConditionOperator.Exists => true,
            ConditionOperator.Missing => false,
            ConditionOperator.Before => value.HasDate && value.UtcTicks < _operands[0].UtcTicks,
            ConditionOperator.After => value.HasDate && value.UtcTicks > _operands[0].UtcTicks,
            ConditionOperator.WithinLast => value.HasDate && value.UtcTicks <= scratch.AsOfTicks
                && scratch.AsOfTicks - value.UtcTicks < _windowTicks,
            _ => throw new InvalidOperationException($"Operator {_operator} has no evaluation."),
        };
    }

    public override long NextChange(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch)
    {
        if (_operator != ConditionOperator.WithinLast || Read(fields, scratch) is not { HasDate: true } value)
        {
            return Never;
        }

        // A date in the future enters the window when it arrives; a past one leaves it after the window,
        // and one that has already left it never changes again.
        if (value.UtcTicks > scratch.AsOfTicks)
        {
            return value.UtcTicks;
        }

        var exit = SafeAdd(value.UtcTicks, _windowTicks);
        return exit > scratch.AsOfTicks ? exit : Never;
    }

    private FieldValue Read(IReadOnlyDictionary<string, FieldValue> fields, ScoringScratch scratch)
    {
        if (_slot != NoSlot && ReferenceEquals(fields, scratch.Fields))
        {
            return scratch.RecordField(_slot, _field);
        }

        return fields.TryGetValue(_field, out var value) ? value : FieldValue.Missing;
    }

    private static long SafeAdd(long ticks, long add) => ticks > long.MaxValue - add ? Never : ticks + add;

    private bool IsAnyOf(FieldValue value)
    {
        foreach (var operand in _operands)
        {
            if (AreEqual(value, operand))
            {
                return true;
            }
        }

        return false;
    }

    // The operand's kind decides how to compare: a JSON number compares numerically, so "250" from a
    // CSV equals 250; a text operand compares as text, so the zip "02134" is not the number 2134.
    private static bool AreEqual(FieldValue value, FieldValue operand) => operand.Kind switch
    {
        FieldKind.Number => value.HasNumber && value.Number == operand.Number,
        _ when operand.HasDate && value.HasDate => value.UtcTicks == operand.UtcTicks,
        _ => value.TextEquals(operand.Text),
    };

    /// <summary>Compares as numbers or as dates, following the operand; int.MinValue when the value is neither.</summary>
    private static int Compare(FieldValue value, FieldValue operand)
    {
        if (operand.Kind == FieldKind.Number)
        {
            return value.HasNumber ? value.Number.CompareTo(operand.Number) : int.MinValue;
        }

        return value.HasDate ? value.UtcTicks.CompareTo(operand.UtcTicks) : int.MinValue;
    }

    private bool IsMatch(string text)
    {
        try
        {
            return _pattern!.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological value must not stall scoring; such a value does not match.
            return false;
        }
    }
}
