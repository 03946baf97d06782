using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;

namespace LeadScore.Engine.Review;

/// <summary>
/// How long a behaviour keeps predicting: each behaviour rule is replayed with other windows (it counts
/// events of the last N days) and other half-lives (its points halve every N days), and the one whose
/// points separate converters from the rest best (ROC-AUC over the review's leads) is suggested when
/// it beats the rule as written by a clear margin. A suggestion with its evidence, never a change.
/// </summary>
public static class BehaviourWindows
{
    // Below this gain in ROC-AUC the rule's own window is as good as any.
    private const double MinimumGain = 0.01;

    private static readonly string[] Lengths = ["7d", "14d", "30d", "60d", "90d"];

    /// <summary>The suggestions for <paramref name="published"/>'s behaviour rules over <paramref name="judged"/> (the review's leads scored under it).</summary>
    public static ImmutableArray<WindowSuggestion> Suggest(CompiledModel published, string publishedJson, IReadOnlyList<JudgedLead> judged)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(publishedJson);
        ArgumentNullException.ThrowIfNull(judged);
        var labels = judged.Select(l => l.Converted).ToArray();
        var behaviours = published.Model.Rules.Where(r => r.Event is not null && r.Points > 0).ToList();
        if (behaviours.Count == 0 || !labels.Contains(true) || !labels.Contains(false))
        {
            return [];
        }

        var root = JsonNode.Parse(publishedJson, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        var rulesJson = root["rules"]!.AsArray().OfType<JsonObject>().ToDictionary(r => (string)r["key"]!, StringComparer.Ordinal);
        var variants = new List<(Rule Rule, string Text, string Key)>();
        var categories = new JsonArray();
        var rules = new JsonArray();
        foreach (var rule in behaviours)
        {
            foreach (var (text, within, halfLife) in Lengths.Select(l => ($"within {l}", (string?)l, (string?)null)).Concat(Lengths.Select(l => ($"half-life {l}", (string?)null, (string?)l))))
            {
                var key = $"v{variants.Count}";
                var variant = rulesJson[rule.Key].DeepClone().AsObject();
                variant["key"] = key;
                variant["category"] = key;
                variant.Remove("critical");
                var match = variant["event"]!.AsObject();
                match.Remove("within");
                variant.Remove("decay");
                if (within is not null)
                {
                    match["within"] = within;
                }
                else
                {
                    variant["decay"] = new JsonObject { ["halfLife"] = halfLife };
                }

                categories.Add(new JsonObject { ["key"] = key, ["dimension"] = "engagement", ["budget"] = published.Model.Scale });
                rules.Add(variant);
                variants.Add((rule, text, key));
            }
        }

        var replay = new JsonObject
        {
            ["key"] = published.Model.Key,
            ["name"] = "windows",
            ["target"] = "contact",
            ["scale"] = published.Model.Scale,
            ["categories"] = categories,
            ["rules"] = rules,
        };
        var parsed = ScoringModelJson.Parse(replay.ToJsonString());
        if (parsed.Model is not { } model)
        {
            return [];
        }

        var compiled = CompiledModel.Compile(model);
        var cards = judged.Select(l => compiled.Score(l.Lead.Subject, l.Lead.JudgedAt)).ToList();
        double AucOf(Func<int, double> points)
        {
            var auc = RocAuc.Of([.. judged.Select((_, i) => points(i))], labels);
            return double.IsNaN(auc) ? 0.5 : auc;
        }

        var suggestions = ImmutableArray.CreateBuilder<WindowSuggestion>();
        foreach (var group in variants.GroupBy(v => v.Rule))
        {
            var rule = group.Key;
            var now = AucOf(i => Points(judged[i].Card.Rules, rule.Key));
            var tried = group.Select(v => (v.Text, Auc: AucOf(i => Points(cards[i].Rules, v.Key)))).ToList();
            var best = tried.OrderByDescending(t => t.Auc).First();
            if (best.Auc >= now + MinimumGain)
            {
                suggestions.Add(new WindowSuggestion(rule.Key, Describe(rule), best.Text, now, best.Auc,
                    string.Join(", ", tried.Select(t => $"{t.Text} {t.Auc.ToString("0.000", CultureInfo.InvariantCulture)}"))));
            }
        }

        return suggestions.ToImmutable();
    }

    private static double Points(ImmutableArray<Scoring.RuleScore> rules, string key)
    {
        foreach (var score in rules)
        {
            if (score.Rule == key)
            {
                return score.Points;
            }
        }

        return 0;
    }

    private static string Describe(Rule rule)
    {
        var parts = new List<string>();
        if (rule.Event?.Within is { } within)
        {
            parts.Add($"within {within}");
        }

        parts.Add(rule.Decay switch
        {
            HalfLifeDecay half => $"half-life {half.HalfLife}",
            ExpiresAfterDecay expires => $"expires after {expires.After}",
            _ => rule.Event?.Within is null ? "no window" : "no decay",
        });
        return string.Join(", ", parts);
    }
}

/// <summary>
/// A behaviour rule whose points would separate converters from the rest better with another window or
/// half-life: what it has now, what is suggested, the ROC-AUC of its points with each, and every length tried.
/// </summary>
public sealed record WindowSuggestion(string Rule, string Now, string Suggested, double AucNow, double AucSuggested, string Evidence);
