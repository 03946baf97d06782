using System.Diagnostics;
using System.Globalization;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Scoring;

namespace LeadScore.SideBySide.Rescore;

/// <summary>
/// Part 1, LeadScore's side: reads the generated contacts and events into memory, compiles the model,
/// and scores every contact, on one thread and on every core. Writes each contact's points.
/// </summary>
internal static class EngineRescore
{
    public static int Run(string data, string modelPath, DateTimeOffset asOf, int passes, string pointsOut, string resultOut)
    {
        var load = Stopwatch.StartNew();
        var contacts = FunnelFiles.ReadContacts(data);

        // Collect what parsing left behind now, as part of loading: otherwise the first scoring passes pay for
        // marking the loaded events (40 million objects at full size) while they are promoted to the oldest generation.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        load.Stop();
        var events = contacts.Sum(c => c.Events.Count);

        var parsed = ScoringModelJson.Parse(File.ReadAllText(modelPath));
        if (!parsed.IsValid)
        {
            Console.Error.WriteLine($"side-by-side: {modelPath}: {string.Join("; ", parsed.Errors)}");
            return 1;
        }

        var model = CompiledModel.Compile(parsed.Model);

        // Each pass builds every contact's full card and keeps its points and category total, as DuckDB's side keeps
        // its rows: a bulk re-score hands its cards on (to the store's writer) rather than holding a million of them.
        var points = new int[contacts.Count];
        var totals = new double[contacts.Count];
        void ScoreOne(int i)
        {
            var card = model.Score(contacts[i], asOf);
            points[i] = card.Points;
            totals[i] = CategoryTotal(card);
        }

        var oneCore = new List<double>();
        var allCores = new List<double>();
        for (var pass = 0; pass < passes; pass++)
        {
            oneCore.Add(Time(() =>
            {
                for (var i = 0; i < contacts.Count; i++)
                {
                    ScoreOne(i);
                }
            }));
            allCores.Add(Time(() => Parallel.For(0, contacts.Count, ScoreOne)));
        }

        using (var writer = new StreamWriter(pointsOut))
        {
            for (var i = 0; i < contacts.Count; i++)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{contacts[i].Id},{points[i]},{totals[i]:R}"));
            }
        }

        Results.Write(resultOut, new()
        {
            ["contacts"] = contacts.Count,
            ["events"] = events,
            ["rules"] = parsed.Model.Rules.Length,
            ["loadSeconds"] = load.Elapsed.TotalSeconds,
            ["oneCoreSeconds"] = oneCore,
            ["allCoresSeconds"] = allCores,
            ["cores"] = Environment.ProcessorCount,
        });
        return 0;
    }

    private static double CategoryTotal(ScoreCard card)
    {
        var total = 0.0;
        foreach (var category in card.Categories)
        {
            total += category.Points;
        }

        return total;
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }
}
