using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.SideBySide.Rescore;

namespace LeadScore.SideBySide.Ranking;

/// <summary>
/// Part 3: how well scoring models rank the synthetic funnel's contacts, as ROC-AUC of their points
/// against the generator's ground truth (truth.csv: converted), beside the true propensity's own AUC.
/// </summary>
internal static class RankingQuality
{
    public static int Run(string data, string[] models, DateTimeOffset asOf, string resultOut)
    {
        var truth = File.ReadLines(Path.Combine(data, "truth.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => (Propensity: double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), Converted: p[2] == "1"));
        var contacts = FunnelFiles.ReadContacts(data);
        var converted = contacts.Select(c => truth[c.Id].Converted).ToArray();
        var figures = new Dictionary<string, object?>
        {
            ["contacts"] = contacts.Count,
            ["converted"] = converted.Count(c => c),
            ["truePropensity"] = Auc.Of([.. contacts.Select(c => truth[c.Id].Propensity)], converted),
        };
        foreach (var named in models)
        {
            var (name, path) = (named[..named.IndexOf('=')], named[(named.IndexOf('=') + 1)..]);
            var parsed = ScoringModelJson.Parse(File.ReadAllText(path));
            if (!parsed.IsValid)
            {
                Console.Error.WriteLine($"side-by-side: {path}: {string.Join("; ", parsed.Errors)}");
                return 1;
            }

            var model = CompiledModel.Compile(parsed.Model);
            figures[name] = Auc.Of([.. contacts.Select(c => (double)model.Score(c, asOf).Points)], converted);
        }

        Results.Write(resultOut, figures);
        return 0;
    }
}
