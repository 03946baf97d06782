using System.Diagnostics;
using System.Globalization;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;

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
        load.Stop();
        var events = contacts.Sum(c => c.Events.Count);

        var parsed = ScoringModelJson.Parse(File.ReadAllText(modelPath));
        if (!parsed.IsValid)
        {
            Console.Error.WriteLine($"side-by-side: {modelPath}: {string.Join("; ", parsed.Errors)}");
            return 1;
        }

        var model = CompiledModel.Compile(parsed.Model);
        var cards = new ScoreCard[contacts.Count];
        var oneCore = new List<double>();
        var allCores = new List<double>();
        for (var pass = 0; pass < passes; pass++)
        {
            oneCore.Add(Time(() =>
            {
                for (var i = 0; i < contacts.Count; i++)
                {
                    cards[i] = model.Score(contacts[i], asOf);
                }
            }));
            allCores.Add(Time(() => Parallel.For(0, contacts.Count, i => cards[i] = model.Score(contacts[i], asOf))));
        }

        using (var writer = new StreamWriter(pointsOut))
        {
            for (var i = 0; i < cards.Length; i++)
            {
                var total = cards[i].Categories.Sum(c => c.Points);
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cards[i].SubjectId},{cards[i].Points},{total:R}"));
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

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }
}
