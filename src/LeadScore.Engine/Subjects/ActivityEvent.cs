using LeadScore.Engine.Values;

namespace LeadScore.Engine.Subjects;

/// <summary>Something a person did: opened an email, viewed a page, requested a demo.</summary>
public sealed class ActivityEvent
{
    private static readonly IReadOnlyDictionary<string, FieldValue> NoProperties =
        new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);

    public ActivityEvent(string id, string type, DateTimeOffset occurredAt, IReadOnlyDictionary<string, FieldValue>? properties = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(type);
        Id = id;
        Type = type;
        OccurredAt = occurredAt;
        OccurredAtUtcTicks = occurredAt.UtcTicks;
        Properties = properties ?? NoProperties;
    }

    public string Id { get; }

    public string Type { get; }

    public DateTimeOffset OccurredAt { get; }

    /// <summary>The instant in UTC ticks, kept beside <see cref="OccurredAt"/> because scoring compares it constantly.</summary>
    public long OccurredAtUtcTicks { get; }

    public IReadOnlyDictionary<string, FieldValue> Properties { get; }
}
