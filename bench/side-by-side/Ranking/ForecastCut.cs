using System.Text.Json;

namespace LeadScore.SideBySide.Ranking;

/// <summary>
/// Part 3's forecast: cuts a generated funnel at an instant T0 to what was known then, so that every
/// ranking is judged on what happened after it. Keeps the companies, the contacts created before T0, their
/// events before T0 and the conversions before T0; lists the contacts still open at T0 in open.txt.
/// Deals are left out: the generator writes each deal as it ended (its stage, a won or lost outcome), which
/// nobody knew at T0.
/// </summary>
internal static class ForecastCut
{
    public static int Run(string source, string target, DateTimeOffset cut)
    {
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(source, "companies.jsonl"), Path.Combine(target, "companies.jsonl"), overwrite: true);

        var known = new HashSet<string>(StringComparer.Ordinal);
        Filter("contacts.jsonl", root =>
        {
            var keep = !root.TryGetProperty("createdAt", out var created) || created.GetDateTimeOffset() < cut;
            if (keep)
            {
                known.Add(root.GetProperty("id").GetString()!);
            }

            return keep;
        });
        Filter("events.jsonl", root => root.GetProperty("occurredAt").GetDateTimeOffset() < cut && known.Contains(root.GetProperty("contact").GetString()!));
        var converted = new HashSet<string>(StringComparer.Ordinal);
        Filter("outcomes.jsonl", root =>
        {
            var keep = root.GetProperty("record").GetString() == "contact" && root.GetProperty("occurredAt").GetDateTimeOffset() < cut
                && known.Contains(root.GetProperty("id").GetString()!);
            if (keep && root.GetProperty("outcome").GetString() == "converted")
            {
                converted.Add(root.GetProperty("id").GetString()!);
            }

            return keep;
        });
        File.WriteAllLines(Path.Combine(target, "open.txt"), known.Where(id => !converted.Contains(id)).Order(StringComparer.Ordinal));
        Console.WriteLine($"{known.Count} contacts known at the cut, {converted.Count} converted before it, {known.Count - converted.Count} open");
        return 0;

        void Filter(string file, Func<JsonElement, bool> keep)
        {
            using var writer = new StreamWriter(Path.Combine(target, file));
            foreach (var line in File.ReadLines(Path.Combine(source, file)))
            {
                using var json = JsonDocument.Parse(line);
                if (keep(json.RootElement))
                {
                    writer.WriteLine(line);
                }
            }
        }
    }
}
