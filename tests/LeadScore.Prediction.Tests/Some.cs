using System.Globalization;
using System.Text;

namespace LeadScore.Prediction.Tests;

/// <summary>Generated lead files with a known signal: the true probability depends on visits and plan only.</summary>
internal static class Some
{
    private static readonly string[] Plans = ["basic", "pro", "enterprise"];
    private static readonly string[] Colours = ["red", "green", "blue", "violet"];

    public static (string Csv, double[] TrueProbabilities, bool[] Converted) Leads(int rows, int seed, char separator = ',')
    {
        var random = new Random(seed);
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(separator, "lead id", "visits", "plan", "age", "newsletter", "signed up", "colour", "email", "converted"));
        var truth = new double[rows];
        var converted = new bool[rows];
        for (var i = 0; i < rows; i++)
        {
            var visits = random.Next(0, 21);
            var plan = random.Next(Plans.Length);
            var logit = -3.0 + 0.22 * visits + 1.1 * plan;
            truth[i] = 1 / (1 + Math.Exp(-logit));
            converted[i] = random.NextDouble() < truth[i];
            var age = random.NextDouble() < 0.1 ? "NA" : random.Next(20, 70).ToString(CultureInfo.InvariantCulture);
            var signedUp = new DateOnly(2025, 1, 1).AddDays(random.Next(365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            csv.AppendLine(string.Join(separator,
                $"L{i:00000}",
                visits.ToString(CultureInfo.InvariantCulture),
                Plans[plan],
                age,
                random.Next(2) == 0 ? "yes" : "no",
                signedUp,
                Colours[random.Next(Colours.Length)],
                $"lead{i}@example.com",
                converted[i] ? "yes" : "no"));
        }

        return (csv.ToString(), truth, converted);
    }

    public static double SpearmanCorrelation(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var ra = Ranks(a);
        var rb = Ranks(b);
        var ma = ra.Average();
        var mb = rb.Average();
        var cov = ra.Select((x, i) => (x - ma) * (rb[i] - mb)).Sum();
        return cov / Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma)) * rb.Sum(x => (x - mb) * (x - mb)));
    }

    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
            {
                j++;
            }

            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = (i + j) / 2.0;
            }

            i = j + 1;
        }

        return ranks;
    }
}
