using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests;

/// <summary>
/// Test data in a line: models written as small JSON fragments and read through the public
/// <see cref="ScoringModelJson.Parse"/>, contacts and events relative to one fixed instant.
/// </summary>
internal static class Some
{
    /// <summary>The scoring instant of every test.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A fit and an engagement category of 50 points each.</summary>
    public const string TwoCategories = """
        [{"key": "fit", "dimension": "fit", "budget": 50},
         {"key": "engagement", "dimension": "engagement", "budget": 50}]
        """;

    private static int _lastEventId;

    /// <summary>
    /// A whole model document around <paramref name="rules"/>; <paramref name="more"/> holds extra
    /// top-level properties, such as <c>"thresholds": [...]</c>.
    /// </summary>
    public static string ModelJson(string rules, string more = "", string categories = TwoCategories, string encoding = "points") =>
        $$"""
        {"key": "test", "scale": 100, "encoding": "{{encoding}}",
         "categories": {{categories}},
         "rules": [{{rules}}]{{(more.Length > 0 ? ",\n " + more : string.Empty)}}}
        """;

    public static CompiledModel Model(string rules, string more = "", string categories = TwoCategories, string encoding = "points") =>
        Compile(ModelJson(rules, more, categories, encoding));

    public static CompiledModel Compile(string json)
    {
        var validation = ScoringModelJson.Parse(json);
        if (!validation.IsValid)
        {
            throw new ArgumentException($"The test model has errors: {string.Join("; ", validation.Errors)}\n{json}");
        }

        return CompiledModel.Compile(validation.Model);
    }

    /// <summary>A model whose only rule, "r", gives 10 fit points when <paramref name="condition"/> holds.</summary>
    public static CompiledModel ModelWhen(string condition) =>
        Model($$"""{"key": "r", "category": "fit", "points": 10, "when": {{condition}}}""");

    /// <summary>Whether <paramref name="condition"/> holds for <paramref name="subject"/> at <see cref="Now"/>.</summary>
    public static bool Holds(string condition, ScoringSubject subject) =>
        ModelWhen(condition).Score(subject, Now).Rules.Any(r => r.Rule == "r");

    public static ScoringSubject Contact(params (string Name, object Value)[] fields) => Contact([], fields);

    public static ScoringSubject Contact(ActivityEvent[] events, params (string Name, object Value)[] fields) =>
        ScoringSubject.ForContact("c1", Fields(fields), events);

    public static Dictionary<string, FieldValue> Fields(params (string Name, object Value)[] fields)
    {
        var values = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in fields)
        {
            values[name] = Value(value);
        }

        return values;
    }

    /// <summary>An event <paramref name="daysAgo"/> days before <see cref="Now"/> (negative: after it).</summary>
    public static ActivityEvent Event(string type, double daysAgo, params (string Name, object Value)[] properties) =>
        new($"e{Interlocked.Increment(ref _lastEventId)}", type, Now.AddDays(-daysAgo), Fields(properties));

    public static ActivityEvent[] Events(string type, params double[] daysAgo) => [.. daysAgo.Select(d => Event(type, d))];

    public static ScoreCard Score(this CompiledModel model, ScoringSubject subject) => model.Score(subject, Now);

    public static double PointsOf(this ScoreCard card, string rule) =>
        card.Rules.SingleOrDefault(r => r.Rule == rule)?.Points ?? 0;

    public static CategoryScore Category(this ScoreCard card, string key) => card.Categories.Single(c => c.Key == key);

    private static FieldValue Value(object value) => value switch
    {
        FieldValue field => field,
        string text => FieldValue.FromText(text),
        bool flag => FieldValue.FromBoolean(flag),
        DateTimeOffset instant => FieldValue.FromDate(instant),
        int or long or double or decimal => FieldValue.FromNumber(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"No field value for {value.GetType().Name}.", nameof(value)),
    };
}
