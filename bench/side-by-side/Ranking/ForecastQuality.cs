using System.Globalization;
using LeadScore.Engine.Review;
using LeadScore.SideBySide.Rescore;

namespace LeadScore.SideBySide.Ranking;

/// <summary>
/// Part 3's forecast, judged: on the contacts open at the cut (<see cref="ForecastCut"/>), the ROC-AUC
/// against truth.csv's <c>converted</c> (which, for them, means converted after the cut) of the true
/// propensity, of rule models' points at the cut, and of the predictive model's probability as
/// <c>leadscore export predictions</c> wrote it.
/// </summary>
internal static class ForecastQuality
{
    public static int Run(string cutData, string truthCsv, string predictionsCsv, string[] models, DateTimeOffset cut, string resultOut)
    {
        var truth = RankingQuality.ReadTruth(truthCsv);
        var open = File.ReadAllLines(Path.Combine(cutData, "open.txt")).ToHashSet(StringComparer.Ordinal);
        var contacts = FunnelFiles.ReadContacts(cutData).Where(c => open.Contains(c.Id)).ToList();
        var converted = contacts.Select(c => truth[c.Id].Converted).ToArray();
        var figures = new Dictionary<string, object?>
        {
            ["cut"] = cut.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["open"] = contacts.Count,
            ["convertedAfter"] = converted.Count(c => c),
            ["truePropensity"] = RocAuc.Of([.. contacts.Select(c => truth[c.Id].Propensity)], converted),
        };
        if (!RankingQuality.AddModelAucs(figures, models, contacts, converted, cut))
        {
            return 1;
        }

        // The export's header names its columns; a contact the model did not predict is counted, not guessed.
        var rows = File.ReadLines(predictionsCsv).Select(l => l.Split(',')).ToList();
        var column = Array.IndexOf(rows[0], "probability");
        var probability = rows.Skip(1).ToDictionary(r => r[0], r => double.Parse(r[column], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var predicted = contacts.Where(c => probability.ContainsKey(c.Id)).ToList();
        figures["predicted"] = predicted.Count;
        figures["predictive"] = RocAuc.Of([.. predicted.Select(c => probability[c.Id])], [.. predicted.Select(c => truth[c.Id].Converted)]);
        Results.Write(resultOut, figures);
        return 0;
    }
}
