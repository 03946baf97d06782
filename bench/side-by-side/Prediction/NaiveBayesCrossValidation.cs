using System.Diagnostics;
using LeadScore.Engine.Review;

namespace LeadScore.SideBySide.Prediction;

/// <summary>
/// Part 2's naive Bayes: cross-validated on the folds <c>leadscore train --folds-out</c> wrote, so that
/// every row is predicted by a model that never saw it, and the AUC pooled over the folds as ours is.
/// </summary>
internal static class NaiveBayesCrossValidation
{
    public static int Run(string csvPath, string foldsPath, string exclude, string resultOut)
    {
        var lines = File.ReadAllLines(csvPath);
        var separator = lines[0].Count(c => c == ';') > lines[0].Count(c => c == ',') ? ';' : ',';
        string[] Split(string line) => [.. line.Split(separator).Select(cell => cell.Trim().Trim('"'))];
        var header = Split(lines[0]);
        var label = Array.IndexOf(header, "y");
        var keep = Enumerable.Range(0, header.Length).Where(c => c != label && header[c] != exclude).ToArray();
        var rows = new List<string[]>();
        var won = new List<bool>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = Split(line);
            rows.Add([.. keep.Select(c => cells[c])]);
            won.Add(string.Equals(cells[label], "yes", StringComparison.OrdinalIgnoreCase));
        }

        var numeric = Enumerable.Range(0, keep.Length)
            .Select(c => rows.All(r => double.TryParse(r[c], System.Globalization.CultureInfo.InvariantCulture, out _)))
            .ToArray();
        var folds = File.ReadLines(foldsPath).Skip(1).Select(l => l.Split(',')[1]).ToArray();
        if (folds.Length != rows.Count)
        {
            Console.Error.WriteLine($"side-by-side: {foldsPath} has {folds.Length} rows, {csvPath} {rows.Count}");
            return 1;
        }

        var watch = Stopwatch.StartNew();
        var scores = new double[rows.Count];
        foreach (var fold in folds.Where(f => f.Length > 0).Distinct())
        {
            var train = Enumerable.Range(0, rows.Count).Where(i => folds[i] != fold).ToArray();
            var model = NaiveBayes.Fit([.. train.Select(i => rows[i])], [.. train.Select(i => won[i])], numeric);
            for (var i = 0; i < rows.Count; i++)
            {
                if (folds[i] == fold)
                {
                    scores[i] = model.Probability(rows[i], numeric);
                }
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        Results.Write(resultOut, new()
        {
            ["rows"] = rows.Count,
            ["positives"] = won.Count(w => w),
            ["folds"] = folds.Distinct().Count(),
            ["auc"] = RocAuc.Of(scores, won),
            ["seconds"] = seconds,
            ["exclude"] = exclude,
        });
        return 0;
    }
}
