using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Scoring;

namespace LeadScore.Engine.Review;

/// <summary>
/// Turns a review into a suggested model, the method's seventh step done from the data:
/// <list type="number">
/// <item>a logistic regression weighs every rule (how much of its points a lead earned, 0 to 1) and the
/// candidate traits of misjudged leads against the outcomes;</item>
/// <item>inside each category the points are re-distributed in proportion to those weights, keeping the
/// category's total (its budget, or more when its rules overlap), rounded to whole points; a rule whose
/// leads convert no more often than the rest is dropped;</item>
/// <item>the strongest candidates become rules in the category of their kind;</item>
/// <item>the MQL threshold is set for the best F1, or for a target volume.</item>
/// </list>
/// The budgets stay as the authors set them: points go to categories first, then to rules.
/// </summary>
public static class ReviewProposer
{
    // A candidate trait held by this share of leads a rule already fires for adds nothing new.
    private const double RedundantShare = 0.9;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // judged: the review's leads already scored under the published model (the report's cards).
    internal static ProposalResult Propose(
        CompiledModel published, string publishedJson, ReviewPeriod period, IReadOnlyList<JudgedLead> judged, ScoreReviewReport report, ProposalOptions options)
    {
        var leads = judged.Select(j => j.Lead).ToList();
        var converted = leads.Count(l => l.Converted);
        if (converted < options.MinimumOutcomes || leads.Count - converted < options.MinimumOutcomes)
        {
            return new ProposalResult(null,
                $"a proposal needs at least {options.MinimumOutcomes} leads that converted and {options.MinimumOutcomes} that did not in the period; " +
                $"it has {converted} and {leads.Count - converted}. {period.LongerPeriodAdvice()}");
        }

        var model = published.Model;
        var ruleScale = model.Rules.Select(rule => RuleScale(rule, judged)).ToArray();
        var candidates = Candidates(model, report, judged, options.ExcludedFields);
        var rows = judged.Select(lead => Row(model, lead, ruleScale, candidates)).ToList();
        var labels = judged.Select(l => l.Converted).ToArray();
        var perScale = LogisticFit.Fit([.. judged.Select(l => new[] { l.Card.Points / (double)model.Scale })], labels, penalty: 0.01).Weights[0];
        var fit = LogisticFit.Fit(rows, labels, options.Penalty, Prior(model, perScale, ruleScale, candidates.Count));
        // The model's exchange rate of points to evidence; when its points do not rise with conversion at all, there is none, and each category is filled.
        var pointsPerLogOdds = perScale > 0 ? model.Scale / perScale : double.PositiveInfinity;

        var ruleWeights = fit.Weights.Take(model.Rules.Length).ToArray();
        var chosen = candidates
            .Select((candidate, i) => (Candidate: candidate, Weight: fit.Weights[model.Rules.Length + i]))
            .Where(c => c.Candidate.Raises ? c.Weight >= options.MinimumCandidateWeight : c.Weight <= -options.MinimumCandidateWeight)
            .OrderByDescending(c => Math.Abs(c.Weight)).ThenBy(c => c.Candidate.Key, StringComparer.Ordinal)
            .Take(options.MaxAddedRules)
            .ToList();

        var root = JsonNode.Parse(publishedJson, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        var changes = ImmutableArray.CreateBuilder<ModelChange>();
        var rulesJson = root["rules"]!.AsArray();
        // Rules that test a field left out (excluded, or leaky) keep their points: the outcomes cannot vouch for them.
        var held = model.Rules.Select(rule => LeakageCheck.FieldsTestedBy(rule).Any(f => LeakageCheck.IsExcluded(f, options.ExcludedFields))).ToArray();
        foreach (var category in model.Categories)
        {
            Redistribute(model, category, pointsPerLogOdds, ruleWeights, ruleScale, held, chosen, report, rulesJson, changes);
        }

        // The method's balance first (no rule the proposal raised reaches a threshold alone), then MQL, which
        // moves no lower than that, so no rule qualifies a lead alone under the new line either.
        KeepBalance(published, root, changes);
        var withRules = ParseOrThrow(root.ToJsonString(Indented)).Model!;
        MoveMql(withRules, root, leads, options, LowestAllowedMql(published, withRules), changes);
        KeepReachable(root, changes);
        var json = root.ToJsonString(Indented);
        var proposed = ParseOrThrow(json);
        if (proposed.Warnings.FirstOrDefault(w => w.Code is DiagnosticCodes.UnreachableThreshold) is { } unreachable)
        {
            // A bug if it happens (MoveMql keeps every threshold reachable), and never a draft to save.
            return new ProposalResult(null, $"the proposal would have a threshold no lead can reach ({unreachable.Message}); keep the published model.");
        }

        var backtest = Backtest.Compare(published, judged, CompiledModel.Compile(proposed.Model!), period);
        return new ProposalResult(new ModelProposal(json, proposed.Model!, changes.ToImmutable(), backtest) { Warnings = proposed.Warnings }, null);
    }

    /// <summary>
    /// The authors' model as weights: one logistic regression on the points alone gives the log-odds a
    /// point is worth, and each rule's prior is that times its most points (candidates start at 0). The
    /// fit moves a rule away from what the authors gave it only as far as the outcomes show.
    /// </summary>
    private static double[] Prior(ScoringModel model, double perScale, double[] ruleScale, int candidates)
    {
        var prior = new double[model.Rules.Length + candidates];
        for (var j = 0; j < model.Rules.Length; j++)
        {
            prior[j] = perScale * Math.Sign(model.Rules[j].Points) * ruleScale[j] / model.Scale;
        }

        return prior;
    }

    private sealed record Candidate(string Key, TraitRow Trait, bool Raises, string Category, string Group);

    // What earning all of a rule's points means: its most (per occurrence without a maximum: the most any lead earned).
    private static double RuleScale(Rule rule, IReadOnlyList<JudgedLead> judged)
    {
        if (double.IsFinite(rule.MaxMagnitude))
        {
            return Math.Max(rule.MaxMagnitude, 1e-9);
        }

        var most = judged.Select(l => RulePoints(l.Card, rule.Key)).DefaultIfEmpty(0).Max(Math.Abs);
        return Math.Max(most, 1e-9);
    }

    private static double RulePoints(ScoreCard card, string rule)
    {
        foreach (var score in card.Rules)
        {
            if (score.Rule == rule)
            {
                return score.Points;
            }
        }

        return 0;
    }

    private static double[] Row(ScoringModel model, JudgedLead lead, double[] ruleScale, IReadOnlyList<Candidate> candidates)
    {
        var row = new double[model.Rules.Length + candidates.Count];
        for (var j = 0; j < model.Rules.Length; j++)
        {
            row[j] = Math.Min(1, Math.Abs(RulePoints(lead.Card, model.Rules[j].Key)) / ruleScale[j]);
        }

        for (var c = 0; c < candidates.Count; c++)
        {
            row[model.Rules.Length + c] = Has(lead.Lead, candidates[c].Trait) ? 1 : 0;
        }

        return row;
    }

    private static bool Has(ReviewedLead lead, TraitRow trait) => trait.Behaviour is { } behaviour
        ? lead.RecentBehaviours.Contains(behaviour, StringComparer.OrdinalIgnoreCase)
        : trait.Field is { } field && lead.Subject.Fields.TryGetValue(field, out var value) && value.TextEquals(trait.Value ?? string.Empty);

    private static List<Candidate> Candidates(ScoringModel model, ScoreReviewReport report, IReadOnlyList<JudgedLead> judged, IReadOnlyCollection<string> excluded)
    {
        var candidates = new List<Candidate>();
        var keys = new HashSet<string>(model.Rules.Select(r => r.Key), StringComparer.OrdinalIgnoreCase);
        foreach (var (group, raises, name) in new[] { (report.LowScoreConverters, true, "low-score converters"), (report.HighScoreNonConverters, false, "high-score non-converters") })
        {
            foreach (var trait in group.Traits)
            {
                if (candidates.Any(c => c.Trait.Trait == trait.Trait) || (trait.Field is { } field && LeakageCheck.IsExcluded(field, excluded))
                    || CategoryFor(model, trait) is not { } category)
                {
                    continue;
                }

                var holders = judged.Where(l => Has(l.Lead, trait)).ToList();
                // Covered when a rule fires for nearly all who have the trait and mostly for them: the
                // demo rule covers "did demo_requested"; a rule everyone gets covers nothing.
                var covered = model.Rules.Any(rule =>
                {
                    var fires = holders.Count(l => RulePoints(l.Card, rule.Key) != 0);
                    var firesOverall = judged.Count(l => RulePoints(l.Card, rule.Key) != 0);
                    return fires >= RedundantShare * holders.Count && fires >= 0.5 * firesOverall;
                });
                if (holders.Count == 0 || covered)
                {
                    continue;
                }

                candidates.Add(new Candidate(UniqueKey(KeyFor(trait), keys), trait, raises, category, name));
            }
        }

        return candidates;
    }

    private static string KeyFor(TraitRow trait)
    {
        var raw = trait.Behaviour is { } behaviour ? $"recent-{behaviour}" : $"{trait.Field}-{trait.Value}";
        var slug = new string([.. raw.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        return slug.Trim('-');
    }

    private static string UniqueKey(string key, HashSet<string> taken)
    {
        var unique = key;
        for (var n = 2; !taken.Add(unique); n++)
        {
            unique = $"{key}-{n}";
        }

        return unique;
    }

    /// <summary>A field trait goes to the fit category that already tests the field (else the largest fit budget); a behaviour to the engagement category counting that event type (else the largest engagement budget).</summary>
    private static string? CategoryFor(ScoringModel model, TraitRow trait)
    {
        var dimension = trait.Behaviour is null ? Dimension.Fit : Dimension.Engagement;
        var inDimension = model.Categories.Where(c => c.Dimension == dimension).ToList();
        var related = model.Rules.FirstOrDefault(rule => inDimension.Any(c => c.Key == rule.Category) && (trait.Behaviour is { } behaviour
            ? string.Equals(rule.Event?.Type, behaviour, StringComparison.OrdinalIgnoreCase)
            : LeakageCheck.FieldsTestedBy(rule).Contains(trait.Field!, StringComparer.OrdinalIgnoreCase)));
        return related?.Category ?? inDimension.OrderByDescending(c => c.Budget).FirstOrDefault()?.Key;
    }

    private static void Redistribute(
        ScoringModel model, Category category, double pointsPerLogOdds, double[] ruleWeights, double[] ruleScale, bool[] held, List<(Candidate Candidate, double Weight)> chosen,
        ScoreReviewReport report, JsonArray rulesJson, ImmutableArray<ModelChange>.Builder changes)
    {
        var members = model.Rules.Select((rule, j) => (Rule: rule, Index: j)).Where(r => r.Rule.Category == category.Key).ToList();
        var added = chosen.Where(c => c.Candidate.Category == category.Key).ToList();
        var positiveWeight = members.Sum(m => Math.Max(0, ruleWeights[m.Index])) + added.Sum(c => Math.Max(0, c.Weight));
        if (positiveWeight <= 0)
        {
            // No rule here makes conversion likelier: there is nothing to scale by, so the category is left as written.
            return;
        }

        // Each rule gets what its evidence is worth at the model's own rate of points to odds; a category
        // whose rules then add up to more than it holds (its budget, or its positive rules' total when they
        // overlap, as mid-market and enterprise do) is scaled down to fit. Weak evidence gets few points
        // instead of being blown up to fill the budget.
        var total = Math.Max(category.Budget, members.Where(m => m.Rule.Points > 0).Sum(m => ruleScale[m.Index]));
        var rate = Math.Min(pointsPerLogOdds, total / positiveWeight);
        double Magnitude(double weight) => Math.Clamp(weight * rate, -category.Budget, category.Budget);

        foreach (var (rule, index) in members.Where(m => !held[m.Index]))
        {
            var row = report.Rules.FirstOrDefault(r => r.Rule == rule.Key);
            var why = row is null ? "no evidence" : Evidence(row);
            var magnitude = Magnitude(ruleWeights[index]);
            var json = rulesJson.OfType<JsonObject>().First(r => string.Equals((string?)r["key"], rule.Key, StringComparison.Ordinal));
            var flips = Math.Sign(magnitude) != Math.Sign(rule.Points) || Math.Round(Math.Abs(magnitude), MidpointRounding.AwayFromZero) == 0;
            if (flips && rule.Critical)
            {
                // A critical behaviour is the authors' call: the review lowers it as far as it can, never drops it.
                magnitude = Math.Sign(rule.Points) * Math.Min(1, Math.Abs(rule.Points));
                why = $"a critical behaviour is kept at its least, never removed by the review: {why}";
            }
            else if (flips)
            {
                rulesJson.Remove(json);
                changes.Add(new ModelChange(ChangeKind.Removed, rule.Key, PointsText(rule.Per, rule.Points, rule.MaxPoints), null,
                    $"it adds nothing once the other rules are counted: {why}"));
                continue;
            }

            double points;
            double? maxPoints;
            if (rule.Per == Award.PerOccurrence)
            {
                var most = Math.Round(Math.Abs(magnitude), MidpointRounding.AwayFromZero);
                var each = Math.Min(most, Math.Max(1, Math.Round(Math.Abs(rule.Points) * most / ruleScale[index], MidpointRounding.AwayFromZero)));
                (points, maxPoints) = (Math.Sign(rule.Points) * each, most);
            }
            else
            {
                (points, maxPoints) = (Math.Round(magnitude, MidpointRounding.AwayFromZero), null);
            }

            if (points == rule.Points && (maxPoints is null || maxPoints == rule.MaxPoints))
            {
                continue;
            }

            json["points"] = points;
            if (maxPoints is not null)
            {
                json["maxPoints"] = maxPoints;
            }

            changes.Add(new ModelChange(ChangeKind.Points, rule.Key, PointsText(rule.Per, rule.Points, rule.MaxPoints), PointsText(rule.Per, points, maxPoints), why));
        }

        foreach (var (candidate, weight) in added)
        {
            var points = Math.Round(Magnitude(weight), MidpointRounding.AwayFromZero);
            if (points == 0)
            {
                continue;
            }

            var trait = candidate.Trait;
            var rule = new JsonObject
            {
                ["key"] = candidate.Key,
                ["category"] = category.Key,
                ["points"] = points,
                ["description"] = $"Proposed by the review: {trait.Trait} ({candidate.Group}).",
            };
            if (trait.Behaviour is { } behaviour)
            {
                rule["event"] = new JsonObject { ["type"] = behaviour, ["within"] = "30d" };
            }
            else
            {
                rule["when"] = new JsonObject { ["field"] = trait.Field, ["eq"] = trait.Value };
            }

            rulesJson.Add(rule);
            changes.Add(new ModelChange(ChangeKind.Added, candidate.Key, null, $"{trait.Trait}, {Whole(points)} {PointsWord(points)} in {category.Key}",
                $"{Percent(trait.ShareInGroup)} of {candidate.Group} have it, {Percent(trait.ShareOverall)} of all leads"));
        }
    }

    /// <summary>The proposed JSON parsed (its model and the validator's warnings); an invalid proposal is a bug here.</summary>
    private static ModelValidation ParseOrThrow(string json)
    {
        var parsed = ScoringModelJson.Parse(json);
        return parsed.IsValid ? parsed : throw new InvalidOperationException(
            $"The proposed model does not validate: {string.Join("; ", parsed.Errors.Select(e => $"{e.Path}: {e.Message}"))}");
    }

    /// <summary>Sets the MQL threshold on the re-weighted model's points; thresholds above it keep their distance.</summary>
    private static void MoveMql(
        ScoringModel withRules, JsonObject root, IReadOnlyList<ReviewedLead> leads, ProposalOptions options, int lowest, ImmutableArray<ModelChange>.Builder changes)
    {
        if (ScoreReview.Mql(withRules) is not { } mql || root["thresholds"] is not JsonArray thresholds)
        {
            return;
        }

        var cards = ScoreReview.Judge(CompiledModel.Compile(withRules), leads);
        var converted = cards.Count(c => c.Converted);
        var best = (Points: mql.Points, Score: double.NegativeInfinity, Text: string.Empty);
        for (var points = Math.Max(1, lowest); points <= withRules.Scale; points++)
        {
            var reached = cards.Where(c => c.Card.Qualified && c.Card.Points >= points).ToList();
            var hits = reached.Count(c => c.Converted);
            var precision = reached.Count == 0 ? 0 : (double)hits / reached.Count;
            var recall = converted == 0 ? 0 : (double)hits / converted;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            // Ties go to the higher threshold: as good a choice, with fewer leads for sales to call.
            var score = options.MqlVolume is { } volume ? -Math.Abs(reached.Count - volume) : f1;
            if (score >= best.Score)
            {
                var text = options.MqlVolume is { } target
                    ? $"{reached.Count} MQLs in the period for a target of {target}; precision {Percent(precision)}, recall {Percent(recall)}"
                    : $"best F1 {f1:0.00}: precision {Percent(precision)}, recall {Percent(recall)}, {reached.Count} MQLs";
                best = (points, score, text);
            }
        }

        // Thresholds above MQL keep their distance from it.
        var shift = best.Points - mql.Points;
        foreach (var threshold in thresholds.OfType<JsonObject>())
        {
            var key = (string?)threshold["key"];
            var was = withRules.Thresholds.First(t => t.Key == key);
            var moved = key == mql.Key ? best.Points : was.Points > mql.Points ? was.Points + shift : was.Points;
            var why = key == mql.Key ? best.Text : $"kept {Whole(was.Points - mql.Points)} points above {mql.Key}";
            if (moved == was.Points)
            {
                continue;
            }

            threshold["points"] = moved;
            changes.Add(new ModelChange(ChangeKind.Threshold, key!, $"{Whole(was.Points)} points", $"{Whole(moved)} points", why));
        }
    }

    /// <summary>No threshold is left where the proposed rules cannot reach: it comes down to the most points they allow.</summary>
    private static void KeepReachable(JsonObject root, ImmutableArray<ModelChange>.Builder changes)
    {
        var model = ParseOrThrow(root.ToJsonString(Indented)).Model!;
        var reachable = Math.Floor(MaxReachablePoints(model));
        foreach (var threshold in (root["thresholds"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = (string)threshold["key"]!;
            var points = model.Thresholds.First(t => t.Key == key).Points;
            if (points <= reachable)
            {
                continue;
            }

            threshold["points"] = reachable;
            var why = $"the proposed rules give at most {Whole(reachable)} points; above that no lead could reach it";
            var index = changes.ToList().FindIndex(c => c.Kind == ChangeKind.Threshold && c.Subject == key);
            if (index >= 0)
            {
                changes[index] = changes[index] with { After = $"{Whole(reachable)} points", Why = $"{changes[index].Why}, but {why}" };
            }
            else
            {
                changes.Add(new ModelChange(ChangeKind.Threshold, key, $"{Whole(points)} points", $"{Whole(reachable)} points", why));
            }
        }
    }

    /// <summary>The most points the rules and budgets allow, as the validator counts them.</summary>
    private static double MaxReachablePoints(ScoringModel model)
    {
        var total = model.Categories.Sum(category => Math.Min(Math.Max(category.Budget, 0),
            model.Rules.Where(r => r.Category == category.Key && r.Points > 0).Sum(r => r.MaxMagnitude)));
        return Math.Min(total, model.Scale);
    }

    /// <summary>Just above the most points any one rule gives alone (rules the authors wrote to reach a threshold alone aside).</summary>
    private static int LowestAllowedMql(CompiledModel published, ScoringModel withRules)
    {
        var budgets = withRules.Categories.ToDictionary(c => c.Key, c => c.Budget, StringComparer.Ordinal);
        return (int)Math.Floor(withRules.Rules.Where(r => r.Points > 0 && !AuthorsReachAlone(published.Model, r.Key))
            .Select(r => Math.Min(Math.Min(r.MaxMagnitude, budgets[r.Category]), withRules.Scale))
            .DefaultIfEmpty(0).Max()) + 1;
    }

    private static bool AuthorsReachAlone(ScoringModel published, string ruleKey)
    {
        var lowest = published.Thresholds.Select(t => t.Points).DefaultIfEmpty(double.PositiveInfinity).Min();
        return published.Rules.FirstOrDefault(r => r.Key == ruleKey) is { } rule
            && Math.Min(Math.Min(rule.MaxMagnitude, published.Categories.First(c => c.Key == rule.Category).Budget), published.Scale) >= lowest;
    }

    /// <summary>
    /// The method's balance: a rule the proposal raised to reach the lowest threshold alone is lowered just
    /// below it, so a lead still needs several signals (a rule the authors wrote that way is left to them).
    /// </summary>
    private static void KeepBalance(CompiledModel published, JsonObject root, ImmutableArray<ModelChange>.Builder changes)
    {
        var model = ParseOrThrow(root.ToJsonString(Indented)).Model!;
        if (model.Thresholds.IsEmpty)
        {
            return;
        }

        var lowest = model.Thresholds.Min(t => t.Points);
        var budgets = model.Categories.ToDictionary(c => c.Key, c => c.Budget, StringComparer.Ordinal);
        foreach (var rule in model.Rules.Where(r => r.Points > 0))
        {
            var alone = Math.Min(Math.Min(rule.MaxMagnitude, budgets[rule.Category]), model.Scale);
            if (alone < lowest || AuthorsReachAlone(published.Model, rule.Key) || lowest <= 1)
            {
                continue;
            }

            var json = root["rules"]!.AsArray().OfType<JsonObject>().First(r => string.Equals((string?)r["key"], rule.Key, StringComparison.Ordinal));
            var most = lowest - 1;
            if (rule.Per == Award.PerOccurrence)
            {
                json["points"] = Math.Min(rule.Points, most);
                json["maxPoints"] = most;
            }
            else
            {
                json["points"] = most;
            }

            var text = $"kept below the lowest threshold ({Whole(lowest)} points) so that no rule qualifies a lead alone";
            var index = changes.ToList().FindIndex(c => c.Subject == rule.Key && c.Kind is ChangeKind.Points or ChangeKind.Added);
            var after = rule.Per == Award.PerOccurrence ? PointsText(rule.Per, Math.Min(rule.Points, most), most) : PointsText(rule.Per, most, null);
            if (index >= 0)
            {
                var change = changes[index];
                changes[index] = change.Kind == ChangeKind.Added
                    ? change with { Why = $"{change.Why}; at most {after}, {text}" }
                    : change with { After = after, Why = $"{change.Why}; {text}" };
            }
            else
            {
                changes.Add(new ModelChange(ChangeKind.Points, rule.Key, PointsText(rule.Per, rule.Points, rule.MaxPoints), after, text));
            }
        }
    }

    private static string Evidence(RuleRow row) => row.Fires == 0
        ? "it never fired in the period"
        : $"{Percent(row.RateWhenFires)} of the {row.Fires} leads it fires for converted, {Percent(row.RateWhenNot)} of the rest";

    private static string PointsText(Award per, double points, double? maxPoints) => per == Award.PerOccurrence
        ? maxPoints is { } most ? $"{Whole(points)} per occurrence, at most {Whole(most)}" : $"{Whole(points)} per occurrence"
        : $"{Whole(points)} {PointsWord(points)}";

    private static string Whole(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string PointsWord(double points) => Math.Abs(points) == 1 ? "point" : "points";

    private static string Percent(double share) => share.ToString("0.#%", CultureInfo.InvariantCulture);
}
