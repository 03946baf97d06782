using System.Text.Json;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Compilation;

/// <summary>
/// A condition on a record's fields alone, written in the model format's condition language but used
/// outside a model: what an automation checks about a contact before it acts. Behaviours have no
/// place here (an automation reacts to them through its trigger).
/// </summary>
public sealed class FieldFilter
{
    private readonly CompiledCondition _compiled;
    private readonly int _fieldSlotCount;

    private FieldFilter(Condition condition, ConditionCompiler compiler)
    {
        Condition = condition;
        _compiled = compiler.Compile(condition);
        _fieldSlotCount = compiler.FieldSlotCount;
    }

    public Condition Condition { get; }

    /// <summary>
    /// Reads a condition at <paramref name="path"/> (used in the diagnostics, e.g. <c>$.conditions</c>).
    /// Never throws for bad input: every problem comes back with its path.
    /// </summary>
    public static FieldFilter? Read(JsonElement element, string path, out IReadOnlyList<ModelDiagnostic> errors)
    {
        var reader = new ModelReader();
        var condition = reader.ReadCondition(element, path);
        var found = new List<ModelDiagnostic>(reader.Errors);
        if (condition is not null)
        {
            RefuseBehaviours(condition, path, found);
            if (found.Count == 0)
            {
                ModelValidator.CheckCondition(condition, path, insideWhere: false, found);
            }
        }

        errors = found;
        return condition is null || found.Count > 0 ? null : new FieldFilter(condition, new ConditionCompiler());
    }

    /// <summary>Whether the fields pass, at an instant (for <c>withinLast</c>).</summary>
    public bool Matches(IReadOnlyDictionary<string, FieldValue> fields, DateTimeOffset asOf)
    {
        // Field tests read only the instant from the scratch; a fresh one keeps this thread-safe.
        var scratch = new ScoringScratch(0, _fieldSlotCount) { AsOfTicks = asOf.UtcTicks, Fields = fields };
        return _compiled.Evaluate(fields, scratch);
    }

    private static void RefuseBehaviours(Condition condition, string path, List<ModelDiagnostic> errors)
    {
        switch (condition)
        {
            case EventCondition behaviour:
                errors.Add(new($"{path}.event", DiagnosticCodes.MisplacedBehaviour,
                    $"These conditions test the contact's fields only; to react to '{behaviour.Match.Type}' events use an event-received trigger."));
                break;
            case AllCondition all:
                for (var i = 0; i < all.Conditions.Length; i++)
                {
                    RefuseBehaviours(all.Conditions[i], $"{path}.all[{i}]", errors);
                }

                break;
            case AnyCondition any:
                for (var i = 0; i < any.Conditions.Length; i++)
                {
                    RefuseBehaviours(any.Conditions[i], $"{path}.any[{i}]", errors);
                }

                break;
            case NotCondition not:
                RefuseBehaviours(not.Condition, $"{path}.not", errors);
                break;
        }
    }
}
