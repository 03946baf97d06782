using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Records;

/// <summary>
/// What predictive training reads about a contact: its fields as they are now, when it was stored,
/// its whole activity (every event type, oldest first), and when it first converted (a conversion
/// outcome, or a won deal of its own) with that deal's amount.
/// </summary>
public sealed record ContactActivity(
    string Id,
    IReadOnlyDictionary<string, FieldValue> Fields,
    DateTimeOffset StoredAt,
    IReadOnlyList<ActivityEvent> Events,
    DateTimeOffset? ConvertedAt,
    decimal? WonAmount);
