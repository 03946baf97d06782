using LeadScore.Engine.Values;

namespace LeadScore.Engine.Subjects;

/// <summary>
/// What a model scores: a contact, a deal or a company, seen as its fields and the events that count
/// for it. Deals and companies are flattened here so that the compiled model needs one shape only:
/// a deal sees its contact's and company's fields under the prefixes <c>contact.</c> and
/// <c>company.</c>, and a company sees the events of all its contacts.
/// </summary>
public sealed class ScoringSubject
{
    private ScoringSubject(
        string id,
        IReadOnlyDictionary<string, FieldValue> fields,
        IReadOnlyList<ActivityEvent> events,
        IReadOnlyList<ScoreAdjustment> adjustments)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
        Fields = fields;
        Events = events;
        Adjustments = adjustments;
    }

    public string Id { get; }

    /// <summary>Field values by name, compared without regard to case.</summary>
    public IReadOnlyDictionary<string, FieldValue> Fields { get; }

    public IReadOnlyList<ActivityEvent> Events { get; }

    public IReadOnlyList<ScoreAdjustment> Adjustments { get; }

    public static ScoringSubject ForContact(
        string id,
        IReadOnlyDictionary<string, FieldValue> fields,
        IReadOnlyList<ActivityEvent> events,
        IReadOnlyList<ScoreAdjustment>? adjustments = null) =>
        new(id, WithIgnoreCaseKeys(fields), events, adjustments ?? []);

    /// <summary>A deal with its own fields, and those of its contact and company under a prefix.</summary>
    public static ScoringSubject ForDeal(
        string id,
        IReadOnlyDictionary<string, FieldValue> dealFields,
        IReadOnlyDictionary<string, FieldValue>? contactFields,
        IReadOnlyDictionary<string, FieldValue>? companyFields,
        IReadOnlyList<ActivityEvent> contactEvents,
        IReadOnlyList<ScoreAdjustment>? adjustments = null)
    {
        var fields = new Dictionary<string, FieldValue>(dealFields, StringComparer.OrdinalIgnoreCase);
        AddPrefixed(fields, "contact.", contactFields);
        AddPrefixed(fields, "company.", companyFields);
        return new ScoringSubject(id, fields, contactEvents, adjustments ?? []);
    }

    /// <summary>A company (account scoring): its own fields and the events of every one of its contacts.</summary>
    public static ScoringSubject ForCompany(
        string id,
        IReadOnlyDictionary<string, FieldValue> companyFields,
        IEnumerable<IReadOnlyList<ActivityEvent>> contactsEvents,
        IReadOnlyList<ScoreAdjustment>? adjustments = null)
    {
        var events = contactsEvents.SelectMany(e => e).ToArray();
        return new ScoringSubject(id, WithIgnoreCaseKeys(companyFields), events, adjustments ?? []);
    }

    private static IReadOnlyDictionary<string, FieldValue> WithIgnoreCaseKeys(IReadOnlyDictionary<string, FieldValue> fields) =>
        fields is Dictionary<string, FieldValue> { Comparer: var comparer } && ReferenceEquals(comparer, StringComparer.OrdinalIgnoreCase)
            ? fields
            : new Dictionary<string, FieldValue>(fields, StringComparer.OrdinalIgnoreCase);

    private static void AddPrefixed(Dictionary<string, FieldValue> target, string prefix, IReadOnlyDictionary<string, FieldValue>? source)
    {
        if (source is null)
        {
            return;
        }

        foreach (var (name, value) in source)
        {
            target[prefix + name] = value;
        }
    }
}
