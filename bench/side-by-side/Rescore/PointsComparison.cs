namespace LeadScore.SideBySide.Rescore;

/// <summary>Compares the points two scorers wrote (id,points,total per line) contact by contact.</summary>
internal static class PointsComparison
{
    public static int Run(string engineFile, string duckDbFile, string resultOut)
    {
        var duck = File.ReadLines(duckDbFile).Select(l => l.Split(',')).ToDictionary(p => p[0], p => p, StringComparer.Ordinal);
        var compared = 0;
        var mismatches = new List<string>();
        var missing = 0;
        foreach (var line in File.ReadLines(engineFile))
        {
            var ours = line.Split(',');
            compared++;
            if (!duck.Remove(ours[0], out var theirs))
            {
                missing++;
                continue;
            }

            if (ours[1] != theirs[1])
            {
                mismatches.Add($"{ours[0]}: LeadScore {ours[1]} ({ours[2]}), DuckDB {theirs[1]} ({theirs[2]})");
            }
        }

        Results.Write(resultOut, new()
        {
            ["compared"] = compared,
            ["mismatches"] = mismatches.Count + missing + duck.Count,
            ["onlyInLeadScore"] = missing,
            ["onlyInDuckDb"] = duck.Count,
            ["firstMismatches"] = mismatches.Take(5).ToList(),
        });
        return 0;
    }
}
