using LeadScore.Engine.Model;

namespace LeadScore.Engine.Compilation;

/// <summary>
/// Compiles conditions, gives every behaviour in the model its matcher slot, and every record field
/// the conditions read its field slot (one per name, whatever its case).
/// </summary>
internal sealed class ConditionCompiler
{
    private readonly List<EventMatcher> _matchers = [];
    private readonly Dictionary<string, int> _fieldSlots = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<EventMatcher> Matchers => _matchers;

    /// <summary>How many distinct record fields the compiled conditions read.</summary>
    public int FieldSlotCount => _fieldSlots.Count;

    /// <summary>Compiles a condition on a record's fields (and its behaviours).</summary>
    public CompiledCondition Compile(Condition condition) => Compile(condition, onRecord: true);

    public EventMatcher AddMatcher(EventMatch match, Decay? decay)
    {
        // A `where` reads an event's properties, not the record's fields: its tests get no field slot.
        var where = match.Where is null ? null : Compile(match.Where, onRecord: false);
        var matcher = new EventMatcher(_matchers.Count, match, where, decay);
        _matchers.Add(matcher);
        return matcher;
    }

    private CompiledCondition Compile(Condition condition, bool onRecord) => condition switch
    {
        FieldCondition field => new FieldTest(field, onRecord ? SlotFor(field.Field) : FieldTest.NoSlot),
        AllCondition all => new AllOf([.. all.Conditions.Select(c => Compile(c, onRecord))]),
        AnyCondition any => new AnyOf([.. any.Conditions.Select(c => Compile(c, onRecord))]),
        NotCondition not => new NoneOf(Compile(not.Condition, onRecord)),
        EventCondition behaviour => new BehaviourHappened(AddMatcher(behaviour.Match, decay: null)),
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.GetType().Name, "Unknown condition type."),
    };

    private int SlotFor(string field)
    {
        if (!_fieldSlots.TryGetValue(field, out var slot))
        {
            _fieldSlots[field] = slot = _fieldSlots.Count;
        }

        return slot;
    }
}
