using System.Globalization;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Review;
using LeadScore.Engine.Subjects;
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
        var truth = ReadTruth(Path.Combine(data, "truth.csv"));
        var contacts = FunnelFiles.ReadContacts(data);
        var converted = contacts.Select(c => truth[c.Id].Converted).ToArray();
        var figures = new Dictionary<string, object?>
        {
            ["contacts"] = contacts.Count,
            ["converted"] = converted.Count(c => c),
            ["truePropensity"] = RocAuc.Of([.. contacts.Select(c => truth[c.Id].Propensity)], converted),
        };
        if (!AddModelAucs(figures, models, contacts, converted, asOf))
        {
            return 1;
        }

        Results.Write(resultOut, figures);
        return 0;
    }

    /// <summary>truth.csv: each contact's true propensity and whether it converted.</summary>
    public static Dictionary<string, (double Propensity, bool Converted)> ReadTruth(string path) =>
        File.ReadLines(path).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => (double.Parse(p[1], CultureInfo.InvariantCulture), p[2] == "1"), StringComparer.Ordinal);

    /// <summary>
    /// For each "name=model.json", the AUC of the model's points as of <paramref name="asOf"/> under the
    /// name; false (with the reason on standard error) when a model is invalid.
    /// </summary>
    public static bool AddModelAucs(
        Dictionary<string, object?> figures, string[] models, IReadOnlyList<ScoringSubject> contacts, bool[] converted, DateTimeOffset asOf)
    {
        foreach (var named in models)
        {
            var (name, path) = (named[..named.IndexOf('=')], named[(named.IndexOf('=') + 1)..]);
            var parsed = ScoringModelJson.Parse(File.ReadAllText(path));
            if (!parsed.IsValid)
            {
                Console.Error.WriteLine($"side-by-side: {path}: {string.Join("; ", parsed.Errors)}");
                return false;
            }

            var model = CompiledModel.Compile(parsed.Model);
            figures[name] = RocAuc.Of([.. contacts.Select(c => (double)model.Score(c, asOf).Points)], converted);
        }

        return true;
    }
}
