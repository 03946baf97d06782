namespace LeadScore.Benchmarks;

/// <summary>
/// Checks that the benchmark's contacts are a fair load: every rule of the model awards points to
/// some contacts and not to others. A rule that never fires, or always fires, would let the engine
/// skip or repeat work that real data makes it do, and the benchmark would flatter or wrong it.
/// </summary>
internal static class RuleCoverage
{
    public static bool Check(TextWriter output)
    {
        var model = BenchmarkModels.Compile(BenchmarkModels.Balanced30);
        var contacts = SyntheticContacts.Generate(ScoringBenchmarks.ContactCount, ScoringBenchmarks.EventsPerContact);
        var fired = model.Model.Rules.ToDictionary(rule => rule.Key, _ => 0, StringComparer.Ordinal);
        var grades = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var scored = 0;
        var disqualified = 0;
        var qualified = 0;
        var pointsSum = 0L;
        foreach (var contact in contacts)
        {
            var card = model.Score(contact, SyntheticContacts.AsOf);
            if (card.Disqualified)
            {
                disqualified++;
                continue;
            }

            scored++;
            qualified += card.Qualified ? 1 : 0;
            pointsSum += card.Points;
            var grade = card.Grade ?? "none";
            grades[grade] = grades.GetValueOrDefault(grade) + 1;
            foreach (var rule in card.Rules)
            {
                fired[rule.Rule]++;
            }
        }

        output.WriteLine();
        output.WriteLine($"{contacts.Length:N0} contacts: {disqualified:N0} disqualified, {qualified:N0} qualified, "
            + $"mean points {(double)pointsSum / Math.Max(scored, 1):N1} of those not disqualified, grades "
            + string.Join(", ", grades.Select(g => $"{g.Key} {g.Value:N0}")));
        var ok = scored > 0;
        foreach (var (rule, count) in fired)
        {
            var share = (double)count / Math.Max(scored, 1);
            var verdict = count == 0 ? "  <- never fires" : count == scored ? "  <- always fires" : string.Empty;
            ok &= verdict.Length == 0;
            output.WriteLine($"  {rule,-22} fires for {share,6:P1}{verdict}");
        }

        output.WriteLine(ok
            ? "Every rule fires for some contacts and not for others."
            : "The synthetic contacts do not exercise every rule; fix SyntheticContacts or the model.");
        return ok;
    }
}
