using System.Collections.Immutable;
using System.Text.Json;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Automations;

/// <summary>
/// Reads automations from their JSON format, collecting every problem with its JSON path (the same
/// diagnostics as models), so an author fixes an automation in one pass.
/// </summary>
public static class AutomationJson
{
    public const int MaxActions = 20;
    public const int MaxNameLength = 200;

    private static readonly string[] Properties = ["name", "model", "trigger", "conditions", "actions", "enabled"];

    /// <summary>Parses an automation; never throws for bad input.</summary>
    public static AutomationValidation Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (ScoringModelJson.ReadDocument(json, "automation", out var malformed) is not { } document)
        {
            return new AutomationValidation(null, [malformed!]);
        }

        using (document)
        {
            var reader = new Reader();
            var definition = reader.Read(document.RootElement);
            return reader.Errors.Count > 0 || definition is null ? new AutomationValidation(null, [.. reader.Errors]) : new AutomationValidation(definition, []);
        }
    }

    /// <summary>
    /// Checks what only the model can tell: that it scores contacts and has the threshold, grade and
    /// category the automation names.
    /// </summary>
    public static IReadOnlyList<ModelDiagnostic> CheckAgainst(AutomationDefinition automation, ScoringModel model)
    {
        var errors = new List<ModelDiagnostic>();
        if (model.Target != RecordKind.Contact)
        {
            errors.Add(new("$.model", DiagnosticCodes.InvalidValue,
                $"Model '{model.Key}' scores {model.Target.ToString().ToLowerInvariant()}s; automations act on contacts, so name a contact model."));
        }

        var thresholds = model.Thresholds.Select(t => t.Key).ToList();
        var grades = model.Grades.Select(g => g.Grade).ToList();
        var level = automation.Trigger switch
        {
            ScoreAboveTrigger above => above.Level,
            ScoreBelowTrigger below => below.Level,
            _ => null,
        };
        if (level?.Threshold is { } key && !thresholds.Contains(key))
        {
            errors.Add(new("$.trigger.threshold", DiagnosticCodes.InvalidValue, $"Model '{model.Key}' has no threshold '{key}'; it has {OneOf(thresholds)}."));
        }

        switch (automation.Trigger)
        {
            case GradeChangedTrigger changed:
                foreach (var (grade, name) in new[] { (changed.From, "from"), (changed.To, "to") })
                {
                    if (grade is not null && !grades.Contains(grade))
                    {
                        errors.Add(new($"$.trigger.{name}", DiagnosticCodes.InvalidValue, $"Model '{model.Key}' has no grade '{grade}'; it has {OneOf(grades)}."));
                    }
                }

                break;
        }

        var categories = model.Categories.Select(c => c.Key).ToList();
        for (var i = 0; i < automation.Actions.Length; i++)
        {
            if (automation.Actions[i] is AdjustScoreAction adjust && !categories.Contains(adjust.Category))
            {
                errors.Add(new($"$.actions[{i}].category", DiagnosticCodes.UnknownCategory,
                    $"Model '{model.Key}' has no category '{adjust.Category}'; it has {OneOf(categories)}."));
            }
        }

        return errors;
    }

    private static string OneOf(List<string> keys) => keys.Count == 0 ? "none" : string.Join(", ", keys.Select(k => $"'{k}'"));

    private sealed class Reader
    {
        private readonly JsonDiagnostics _json = new();

        public IReadOnlyList<ModelDiagnostic> Errors => _json.Errors;

        public AutomationDefinition? Read(JsonElement root)
        {
            if (!_json.ExpectObject(root, "$", Properties))
            {
                return null;
            }

            var name = _json.RequiredText(root, "name", "$", MaxNameLength);
            var model = _json.OptionalText(root, "model", "$", 100);
            var trigger = root.TryGetProperty("trigger", out var triggerElement) ? ReadTrigger(triggerElement, "$.trigger") : _json.Missing<AutomationTrigger>("$", "trigger");
            FieldFilter? conditions = null;
            if (root.TryGetProperty("conditions", out var conditionsElement))
            {
                conditions = FieldFilter.Read(conditionsElement, "$.conditions", out var conditionErrors);
                _json.AddRange(conditionErrors);
            }

            ImmutableArray<AutomationAction>? actions = null;
            if (root.TryGetProperty("actions", out var actionsElement))
            {
                actions = ReadActions(actionsElement, "$.actions");
            }
            else
            {
                _json.Error("$", DiagnosticCodes.MissingProperty, "'actions' is missing: the steps to run, such as [{\"type\": \"add-tag\", \"tag\": \"hot\"}].");
            }
            var enabled = true;
            if (root.TryGetProperty("enabled", out var enabledElement))
            {
                if (enabledElement.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    enabled = enabledElement.GetBoolean();
                }
                else
                {
                    _json.WrongType("$.enabled", "true or false", enabledElement);
                }
            }

            if (trigger is not null and not EventReceivedTrigger and not PriorityChangedTrigger && model is null && root.TryGetProperty("trigger", out _))
            {
                _json.Error("$.model", DiagnosticCodes.MissingProperty, $"A {trigger.Type} trigger watches a model's scores; name the model with \"model\": \"KEY\".");
            }

            if (model is null && actions is not null)
            {
                for (var i = 0; i < actions.Value.Length; i++)
                {
                    if (actions.Value[i] is AdjustScoreAction)
                    {
                        _json.Error("$.model", DiagnosticCodes.MissingProperty, $"The adjust-score action at $.actions[{i}] adds points under a model; name it with \"model\": \"KEY\".");
                        break;
                    }
                }
            }

            return name is null || trigger is null || actions is null || Errors.Count > 0
                ? null
                : new AutomationDefinition(name, model, trigger, conditions, actions.Value, enabled);
        }

        private AutomationTrigger? ReadTrigger(JsonElement element, string path)
        {
            // Which properties a trigger takes depends on its type: Allow checks them, in the type's words.
            if (!_json.ExpectObject(element, path))
            {
                return null;
            }

            var type = _json.RequiredText(element, "type", path, 50);
            switch (type)
            {
                case "score-above" or "score-below":
                    if (!Allow(element, path, type, "threshold", "points") || ReadLevel(element, path) is not { } level)
                    {
                        return null;
                    }

                    return type == "score-above" ? new ScoreAboveTrigger(level) : new ScoreBelowTrigger(level);
                case "grade-changed":
                    return Allow(element, path, type, "from", "to")
                        ? new GradeChangedTrigger(_json.OptionalText(element, "from", path, 20), _json.OptionalText(element, "to", path, 20))
                        : null;
                case "requirements-met":
                    return Allow(element, path, type) ? new RequirementsMetTrigger() : null;
                case "disqualified":
                    return Allow(element, path, type) ? new DisqualifiedTrigger() : null;
                case "event-received":
                    return Allow(element, path, type, "eventType") && _json.RequiredText(element, "eventType", path, 100) is { } eventType
                        ? new EventReceivedTrigger(eventType)
                        : null;
                case "priority-changed":
                    if (!Allow(element, path, type, "from", "to"))
                    {
                        return null;
                    }

                    var from = _json.OptionalText(element, "from", path, 20);
                    var to = _json.OptionalText(element, "to", path, 20);
                    foreach (var (name, tier) in new[] { ("from", from), ("to", to) })
                    {
                        if (tier is not null && PriorityTiers.Named(tier) is null)
                        {
                            _json.Error($"{path}.{name}", DiagnosticCodes.InvalidValue,
                                $"'{tier}' is not a priority tier; use one of {string.Join(", ", PriorityTiers.Names)}.");
                            return null;
                        }
                    }

                    return new PriorityChangedTrigger(PriorityTiers.Named(from), PriorityTiers.Named(to));
                case null:
                    return null;
                default:
                    _json.Error($"{path}.type", DiagnosticCodes.InvalidValue,
                        $"Unknown trigger '{type}'; use one of score-above, score-below, grade-changed, requirements-met, disqualified, event-received, priority-changed.");
                    return null;
            }
        }

        private ScoreLevel? ReadLevel(JsonElement element, string path)
        {
            var hasThreshold = element.TryGetProperty("threshold", out _);
            var hasPoints = element.TryGetProperty("points", out var pointsElement);
            if (hasThreshold == hasPoints)
            {
                _json.Error(path, DiagnosticCodes.InvalidValue, "Give the level as exactly one of \"threshold\": \"mql\" (a threshold of the model) or \"points\": 70.");
                return null;
            }

            if (hasThreshold)
            {
                return _json.OptionalText(element, "threshold", path, 100) is { } key ? new ScoreLevel(key, null) : null;
            }

            if (pointsElement.ValueKind != JsonValueKind.Number || !pointsElement.TryGetInt32(out var points) || points is < 0 or > 100_000)
            {
                _json.Error($"{path}.points", DiagnosticCodes.InvalidValue, "\"points\" is a whole number of points on the model's scale, such as 70.");
                return null;
            }

            return new ScoreLevel(null, points);
        }

        private ImmutableArray<AutomationAction>? ReadActions(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                _json.WrongType(path, "an array of actions", element);
                return null;
            }

            var count = element.GetArrayLength();
            if (count is 0 or > MaxActions)
            {
                _json.Error(path, DiagnosticCodes.InvalidValue, $"An automation has 1 to {MaxActions} actions; this one has {count}.");
                return null;
            }

            var actions = ImmutableArray.CreateBuilder<AutomationAction>(count);
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (ReadAction(item, $"{path}[{index++}]") is { } action)
                {
                    actions.Add(action);
                }
            }

            return actions.Count == count ? actions.MoveToImmutable() : null;
        }

        private AutomationAction? ReadAction(JsonElement element, string path)
        {
            // Which properties an action takes depends on its type: Allow checks them, in the type's words.
            if (!_json.ExpectObject(element, path))
            {
                return null;
            }

            var type = _json.RequiredText(element, "type", path, 50);
            switch (type)
            {
                case "webhook":
                    return Allow(element, path, type, "url") ? ReadUrl(element, path) is { } url ? new WebhookAction(url) : null : null;
                case "add-tag" or "remove-tag":
                    if (!Allow(element, path, type, "tag") || RequiredName(element, "tag", path) is not { } tag)
                    {
                        return null;
                    }

                    return type == "add-tag" ? new AddTagAction(tag) : new RemoveTagAction(tag);
                case "set-lifecycle-stage":
                    if (!Allow(element, path, type, "stage") || _json.RequiredText(element, "stage", path, 20) is not { } stageText)
                    {
                        return null;
                    }

                    if (LifecycleStages.Parse(stageText) is not { } stage)
                    {
                        _json.Error($"{path}.stage", DiagnosticCodes.InvalidValue, $"Unknown lifecycle stage '{stageText}'; use one of {LifecycleStages.Names}.");
                        return null;
                    }

                    return new SetLifecycleStageAction(stage);
                case "assign-owner":
                    return Allow(element, path, type, "roundRobin", "byField", "owners", "otherwise", "overwrite") ? ReadOwner(element, path) : null;
                case "adjust-score":
                    return Allow(element, path, type, "category", "points", "reason", "expiresAfter") ? ReadAdjustment(element, path) : null;
                case "add-to-list":
                    return Allow(element, path, type, "list") && RequiredName(element, "list", path) is { } list ? new AddToListAction(list) : null;
                case null:
                    return null;
                default:
                    _json.Error($"{path}.type", DiagnosticCodes.InvalidValue,
                        $"Unknown action '{type}'; use one of webhook, add-tag, remove-tag, set-lifecycle-stage, assign-owner, adjust-score, add-to-list.");
                    return null;
            }
        }

        private Uri? ReadUrl(JsonElement element, string path)
        {
            if (_json.RequiredText(element, "url", path, 2000) is not { } text)
            {
                return null;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.UserInfo))
            {
                _json.Error($"{path}.url", DiagnosticCodes.InvalidValue, $"'{text}' is not an absolute http or https URL without a user name, such as https://crm.example.com/hooks/mql.");
                return null;
            }

            return url;
        }

        private AssignOwnerAction? ReadOwner(JsonElement element, string path)
        {
            var hasList = element.TryGetProperty("roundRobin", out var listElement);
            var hasField = element.TryGetProperty("byField", out _);
            if (hasList == hasField)
            {
                _json.Error(path, DiagnosticCodes.InvalidValue,
                    "Assign owners either \"roundRobin\": [\"ana\", \"ben\"] or \"byField\": \"region\" with \"owners\": {\"EMEA\": \"ana\"} (and \"otherwise\"), not both.");
                return null;
            }

            var overwrite = element.TryGetProperty("overwrite", out var overwriteElement) && overwriteElement.ValueKind == JsonValueKind.True;
            if (hasList)
            {
                var names = listElement.ValueKind == JsonValueKind.Array
                    ? listElement.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(n.GetString())).Select(n => n.GetString()!.Trim()).ToImmutableArray()
                    : [];
                if (names.Length == 0 || names.Length != listElement.GetArrayLength())
                {
                    _json.Error($"{path}.roundRobin", DiagnosticCodes.InvalidValue, "\"roundRobin\" is a non-empty array of owner names, such as [\"ana\", \"ben\"].");
                    return null;
                }

                return new AssignOwnerAction(names, null, ImmutableDictionary<string, string>.Empty, null, overwrite);
            }

            var field = _json.RequiredText(element, "byField", path, 100);
            var owners = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
            if (element.TryGetProperty("owners", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in map.EnumerateObject())
                {
                    if (entry.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(entry.Value.GetString()))
                    {
                        _json.Error($"{path}.owners.{entry.Name}", DiagnosticCodes.WrongType, "Each owner is a name (a string).");
                        continue;
                    }

                    owners[entry.Name] = entry.Value.GetString()!.Trim();
                }
            }
            else
            {
                _json.Error($"{path}.owners", DiagnosticCodes.MissingProperty, "\"byField\" needs \"owners\": an object from field value to owner name, such as {\"EMEA\": \"ana\"}.");
            }

            var otherwise = _json.OptionalText(element, "otherwise", path, 200);
            return field is null ? null : new AssignOwnerAction([], field, owners.ToImmutable(), otherwise, overwrite);
        }

        private AdjustScoreAction? ReadAdjustment(JsonElement element, string path)
        {
            var category = _json.RequiredText(element, "category", path, 100);
            var reason = _json.RequiredText(element, "reason", path, 500);
            double? points = null;
            if (!element.TryGetProperty("points", out var pointsElement))
            {
                _json.Error(path, DiagnosticCodes.MissingProperty, "\"points\" is missing: the points to add (negative to remove), such as 10.");
            }
            else if (pointsElement.ValueKind != JsonValueKind.Number || pointsElement.GetDouble() is 0 or < -1000 or > 1000)
            {
                _json.Error($"{path}.points", DiagnosticCodes.InvalidValue, "\"points\" is a number from -1000 to 1000 other than 0.");
            }
            else
            {
                points = pointsElement.GetDouble();
            }

            Duration? expires = null;
            if (_json.OptionalText(element, "expiresAfter", path, 20) is { } expiresText)
            {
                if (Duration.TryParse(expiresText, out var duration))
                {
                    expires = duration;
                }
                else
                {
                    _json.Error($"{path}.expiresAfter", DiagnosticCodes.BadDuration, $"'{expiresText}' is not a duration; write a whole number and h, d or w, such as \"30d\".");
                }
            }

            return category is null || reason is null || points is null ? null : new AdjustScoreAction(category, points.Value, reason, expires);
        }

        private bool Allow(JsonElement element, string path, string type, params string[] allowed)
        {
            var ok = true;
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name != "type" && !allowed.Contains(property.Name))
                {
                    _json.Error($"{path}.{property.Name}", DiagnosticCodes.UnknownProperty,
                        $"A {type} {(path.Contains("trigger", StringComparison.Ordinal) ? "trigger" : "action")} has no '{property.Name}'{(allowed.Length > 0 ? $"; it takes {string.Join(", ", allowed)}" : "")}.");
                    ok = false;
                }
            }

            return ok;
        }

        private string? RequiredName(JsonElement element, string name, string path)
        {
            var text = _json.RequiredText(element, name, path, 80);
            if (text is not null && !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                _json.Error($"{path}.{name}", DiagnosticCodes.InvalidValue, $"'{text}' must be letters, digits, '-' or '_' (it becomes part of a field name).");
                return null;
            }

            return text;
        }

    }
}

/// <summary>The outcome of reading an automation: the definition when it has no errors.</summary>
public sealed record AutomationValidation(AutomationDefinition? Definition, ImmutableArray<ModelDiagnostic> Errors)
{
    public bool IsValid => Definition is not null;
}

/// <summary>How lifecycle stages are spelled: lower-case, in funnel order.</summary>
public static class LifecycleStages
{
    public static string Names { get; } = string.Join(", ", Enum.GetValues<LifecycleStage>().Select(Of));

    public static string Of(LifecycleStage stage) => stage.ToString().ToLowerInvariant();

    public static LifecycleStage? Parse(string text) =>
        Enum.GetValues<LifecycleStage>().Select(s => (LifecycleStage?)s).FirstOrDefault(s => Of(s!.Value) == text);
}
