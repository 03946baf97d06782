using System.Text.Encodings.Web;
using System.Text.Json;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Parsing;
using LeadScore.Engine.Scoring;
using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Tests;

/// <summary>
/// Test data in a line: small models as JSON, contacts and events relative to <see cref="Now"/>, the
/// instant every test's clock starts at. Event ids are unique within the test run unless given.
/// </summary>
internal static class Some
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>2 engagement points per email opened, at most 20.</summary>
    public const string OpensRule =
        """{"key": "opens", "category": "engagement", "points": 2, "per": "occurrence", "maxPoints": 20, "event": {"type": "email_open"}}""";

    /// <summary>15 fit points for a VP.</summary>
    public const string SeniorRule =
        """{"key": "senior", "category": "fit", "points": 15, "when": {"field": "jobTitle", "contains": "VP"}}""";

    private static int _lastEventId;

    /// <summary>
    /// A model with a fit and an engagement category of 50 points each, scored in plain points, around
    /// <paramref name="rules"/>.
    /// </summary>
    public static string Model(string rules, string key = "m", string target = "contact") =>
        $$"""
        {"key": "{{key}}", "target": "{{target}}", "scale": 100, "encoding": "points",
         "categories": [{"key": "fit", "dimension": "fit", "budget": 50},
                        {"key": "engagement", "dimension": "engagement", "budget": 50}],
         "rules": [{{rules}}]}
        """;

    public static string OpensModel(string key = "m") => Model(OpensRule, key);

    public static string SeniorModel(string key = "m", int points = 15) =>
        Model(SeniorRule.Replace("\"points\": 15", $"\"points\": {points}", StringComparison.Ordinal), key);

    /// <summary>A model from examples/models in the repository.</summary>
    public static string ExampleModel(string file) => File.ReadAllText(Repository.File(Path.Combine("examples", "models", file)));

    public static ContactInput Contact(string id, params (string Name, object Value)[] fields) => new(id, Fields(fields));

    public static ContactInput Contact(string id, string companyId, params (string Name, object Value)[] fields) =>
        new(id, Fields(fields), companyId);

    public static CompanyInput Company(string id, params (string Name, object Value)[] fields) => new(id, Fields(fields));

    public static DealInput Deal(string id, string contactId, string companyId, params (string Name, object Value)[] fields) =>
        new(id, contactId, companyId, Fields(fields));

    /// <summary>An event of a contact named by id, five minutes before <see cref="Now"/> unless <paramref name="at"/> says when.</summary>
    public static EventInput Event(string contactId, string type, DateTimeOffset? at = null, string? id = null,
        params (string Name, object Value)[] properties) =>
        new(id ?? NextEventId(), contactId, null, type, at ?? Now.AddMinutes(-5), properties.Length == 0 ? null : Fields(properties));

    /// <summary>An event of a contact named only by email.</summary>
    public static EventInput EventByEmail(string email, string type, string? id = null) =>
        new(id ?? NextEventId(), null, email, type, Now.AddMinutes(-5));

    public static EventInput[] Events(string contactId, string type, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Event(contactId, type, Now.AddMinutes(-5 - i)))];

    public static Dictionary<string, FieldValue> Fields(params (string Name, object Value)[] fields)
    {
        var values = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in fields)
        {
            values[name] = value switch
            {
                FieldValue field => field,
                string text => FieldValue.FromText(text),
                bool flag => FieldValue.FromBoolean(flag),
                DateTimeOffset instant => FieldValue.FromDate(instant),
                int or long or double or decimal => FieldValue.FromNumber(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
                _ => throw new ArgumentException($"No field value for {value.GetType().Name}.", nameof(fields)),
            };
        }

        return values;
    }

    /// <summary>The score card offline scoring gives <paramref name="subject"/> under <paramref name="modelJson"/>.</summary>
    public static ScoreCard OfflineCard(string modelJson, ScoringSubject subject, DateTimeOffset asOf)
    {
        var validation = ScoringModelJson.Parse(modelJson);
        if (!validation.IsValid)
        {
            throw new ArgumentException($"The test model has errors: {string.Join("; ", validation.Errors)}");
        }

        return CompiledModel.Compile(validation.Model).Score(subject, asOf);
    }

    /// <summary>The score line offline scoring writes for <paramref name="subject"/> under <paramref name="modelJson"/>.</summary>
    public static string OfflineLine(string modelJson, ScoringSubject subject, DateTimeOffset asOf, string recordKey = "contact") =>
        LineOf(OfflineCard(modelJson, subject, asOf), recordKey);

    public static string LineOf(ScoreCard card, string recordKey = "contact")
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            ScoreLine.Write(writer, card, recordKey);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static ActivityEvent Activity(EventInput input) => new(input.Id, input.Type, input.OccurredAt, input.Properties);

    /// <summary>The keys of the rules a score line says awarded points.</summary>
    public static string[] RulesIn(string line)
    {
        using var document = JsonDocument.Parse(line);
        return [.. document.RootElement.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("rule").GetString()!)];
    }

    /// <summary>A category's points as a score line shows them.</summary>
    public static double CategoryIn(string line, string category)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("categories").GetProperty(category).GetDouble();
    }

    public static string? NextChangeIn(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("nextChangeAt").GetString();
    }

    private static string NextEventId() => $"e{Interlocked.Increment(ref _lastEventId)}";
}
