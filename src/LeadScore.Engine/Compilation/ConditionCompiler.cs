using LeadScore.Engine.Model;

namespace LeadScore.Engine.Compilation;

/// <summary>Compiles conditions and gives every behaviour in the model its matcher slot.</summary>
internal sealed class ConditionCompiler
{
    private readonly List<EventMatcher> _matchers = [];

    public IReadOnlyList<EventMatcher> Matchers => _matchers;

    public CompiledCondition Compile(Condition condition) => condition switch
    {
        FieldCondition field => new FieldTest(field),
        AllCondition all => new AllOf([.. all.Conditions.Select(Compile)]),
        AnyCondition any => new AnyOf([.. any.Conditions.Select(Compile)]),
        NotCondition not => new NoneOf(Compile(not.Condition)),
        EventCondition behaviour => new BehaviourHappened(AddMatcher(behaviour.Match, decay: null)),
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.GetType().Name, "Unknown condition type."),
    };

    public EventMatcher AddMatcher(EventMatch match, Decay? decay)
    {
        var where = match.Where is null ? null : Compile(match.Where);
        var matcher = new EventMatcher(_matchers.Count, match, where, decay);
        _matchers.Add(matcher);
        return matcher;
    }
}
