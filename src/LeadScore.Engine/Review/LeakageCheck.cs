using System.Collections.Immutable;
using LeadScore.Engine.Model;
using LeadScore.Engine.Subjects;

namespace LeadScore.Engine.Review;

/// <summary>
/// Flags fields that rank the outcome better on their own than all the rest of the evidence together:
/// a field filled in after the outcome (a sales team's tag written after the call, "switched off") looks
/// that predictive only because it follows the outcome. A field's own ROC-AUC is measured out of fold
/// (each lead ranked by the conversion rate of its value among the other folds' leads, so a field with
/// many values cannot learn the labels by heart). The rest together is a logistic regression on every
/// other piece of evidence: the model's rules that do not test the field, the other fields encoded the
/// same way, and the behaviours of the last 30 days. A field the model does not score yet but that truly predicts (an industry that
/// buys) is beaten by the rest; a field written after the outcome is not.
/// </summary>
public static class LeakageCheck
{
    private const int Folds = 5;

    // A value seen a few times is pulled this many leads' worth towards the overall rate.
    private const double Smoothing = 10;

    // Numbers are ranked by tenths, so a number and a text field are judged alike.
    private const int NumberBins = 10;

    /// <summary>
    /// The fields of <paramref name="leads"/> (scored under <paramref name="model"/>) whose own ROC-AUC is
    /// above that of all the other evidence together, most suspicious first. Fields that are
    /// not evidence by nature (names, emails, what automations write) and <paramref name="excluded"/> ones
    /// are not checked.
    /// </summary>
    public static ImmutableArray<LeakyField> Check(ScoringModel model, IReadOnlyList<JudgedLead> leads, IReadOnlyCollection<string>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(leads);
        var labels = leads.Select(l => l.Converted).ToArray();
        if (!labels.Contains(true) || !labels.Contains(false))
        {
            return [];
        }

        var fields = leads.SelectMany(l => l.Lead.Subject.Fields.Where(f => !f.Value.IsMissing).Select(f => f.Key))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(f => !StandardFields.Matches(f, StandardFields.NotEvidence) && !IsExcluded(f, excluded))
            .Order(StringComparer.Ordinal)
            .ToList();
        var encoded = fields.ToDictionary(f => f, f => Encoded(f, leads, labels), StringComparer.OrdinalIgnoreCase);
        // What each lead did recently is evidence too, whether or not a rule counts it yet.
        var recent = leads.Select(l => l.Lead.RecentBehaviours.ToHashSet(StringComparer.OrdinalIgnoreCase)).ToList();
        var behaviours = recent.SelectMany(r => r).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)
            .Select(type => recent.Select(r => r.Contains(type) ? 1.0 : 0.0).ToArray()).ToList();
        var points = Auc([.. leads.Select(l => (double)l.Card.Points)], labels);
        var flagged = ImmutableArray.CreateBuilder<LeakyField>();
        foreach (var field in fields)
        {
            var alone = Auc(encoded[field], labels);
            // Most fields rank below the model's own points: only those that do not are weighed against the rest.
            if (alone <= points)
            {
                continue;
            }

            var rest = RestAuc(model, field, leads, labels, [.. fields.Where(f => f != field).Select(f => encoded[f]), .. behaviours]);
            if (alone > rest)
            {
                flagged.Add(new LeakyField(field, alone, rest));
            }
        }

        return [.. flagged.OrderByDescending(f => f.Auc - f.RestAuc)];
    }

    /// <summary>Whether <paramref name="field"/> is one of <paramref name="excluded"/> (a trailing * matches a prefix, as tag.* does).</summary>
    public static bool IsExcluded(string field, IReadOnlyCollection<string>? excluded) =>
        excluded is { Count: > 0 } && StandardFields.Matches(field, excluded);

    /// <summary>The fields a rule's condition reads.</summary>
    public static IEnumerable<string> FieldsTestedBy(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.When is { } when ? FieldsOf(when) : [];
    }

    private static IEnumerable<string> FieldsOf(Condition condition) => condition switch
    {
        FieldCondition field => [field.Field],
        AllCondition all => all.Conditions.SelectMany(FieldsOf),
        AnyCondition any => any.Conditions.SelectMany(FieldsOf),
        NotCondition not => FieldsOf(not.Condition),
        _ => [],
    };

    /// <summary>In-sample ROC-AUC of a regression on the rules that do not test <paramref name="field"/> (the share of each rule's points a lead earned) and the other fields' encodings.</summary>
    private static double RestAuc(ScoringModel model, string field, IReadOnlyList<JudgedLead> leads, bool[] labels, List<double[]> others)
    {
        var rules = model.Rules.Where(r => !FieldsTestedBy(r).Contains(field, StringComparer.OrdinalIgnoreCase)).Select(r => r.Key).ToList();
        var most = rules.Select(rule => leads.Select(l => Math.Abs(PointsOf(l, rule))).DefaultIfEmpty(0).Max()).ToArray();
        var rows = leads.Select((lead, i) =>
        {
            var row = new double[rules.Count + others.Count];
            for (var j = 0; j < rules.Count; j++)
            {
                row[j] = most[j] == 0 ? 0 : PointsOf(lead, rules[j]) / most[j];
            }

            for (var j = 0; j < others.Count; j++)
            {
                row[rules.Count + j] = others[j][i];
            }

            return row;
        }).ToList();
        var fit = LogisticFit.Fit(rows, labels);
        return Auc([.. rows.Select(fit.Probability)], labels);
    }

    private static double PointsOf(JudgedLead lead, string rule)
    {
        foreach (var score in lead.Card.Rules)
        {
            if (score.Rule == rule)
            {
                return score.Points;
            }
        }

        return 0;
    }

    private static double Auc(IReadOnlyList<double> scores, bool[] labels)
    {
        var auc = RocAuc.Of(scores, labels);
        return double.IsNaN(auc) ? 0.5 : auc;
    }

    /// <summary>Each lead's value as the conversion rate of that value among the other folds' leads.</summary>
    private static double[] Encoded(string field, IReadOnlyList<JudgedLead> leads, bool[] labels)
    {
        var levels = Levels(field, leads);
        var overall = labels.Count(l => l) / (double)labels.Length;
        var scores = new double[leads.Count];
        for (var fold = 0; fold < Folds; fold++)
        {
            var counts = new Dictionary<string, (int Leads, int Converted)>(StringComparer.Ordinal);
            for (var i = 0; i < leads.Count; i++)
            {
                if (i % Folds != fold)
                {
                    var (n, c) = counts.GetValueOrDefault(levels[i]);
                    counts[levels[i]] = (n + 1, c + (labels[i] ? 1 : 0));
                }
            }

            for (var i = fold; i < leads.Count; i += Folds)
            {
                var (n, c) = counts.GetValueOrDefault(levels[i]);
                scores[i] = (c + Smoothing * overall) / (n + Smoothing);
            }
        }

        return scores;
    }

    private static string[] Levels(string field, IReadOnlyList<JudgedLead> leads)
    {
        var values = leads.Select(l => l.Lead.Subject.Fields.TryGetValue(field, out var v) ? v : default).ToArray();
        var numbers = values.Where(v => v.HasNumber).Select(v => v.Number).Order().ToArray();
        if (numbers.Length == 0)
        {
            return [.. values.Select(v => v.IsMissing ? "\0missing" : v.Text.ToLowerInvariant())];
        }

        // Tenths of the numbers seen; a value without a number is its own level.
        var cuts = Enumerable.Range(1, NumberBins - 1).Select(b => numbers[b * numbers.Length / NumberBins]).Distinct().ToArray();
        return [.. values.Select(v => v.HasNumber ? $"\0bin{cuts.Count(c => v.Number >= c)}" : v.IsMissing ? "\0missing" : v.Text.ToLowerInvariant())];
    }
}

/// <summary>A field that alone ranks the outcome (<see cref="Auc"/>) better than the rest of the evidence together (<see cref="RestAuc"/>).</summary>
public sealed record LeakyField(string Field, double Auc, double RestAuc);
