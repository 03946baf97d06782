using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Storage.Records;

/// <summary>
/// What predictive training reads about a contact: its fields as they are now, when it was stored,
/// its whole activity (every event type, oldest first), and when it first converted (a conversion
/// outcome, or a won deal of its own) with that deal's amount. <see cref="FieldsChangedAt"/> says when
/// each field last changed after the contact was created (absent: set at creation, or never).
/// </summary>
public sealed record ContactActivity(
    string Id,
    IReadOnlyDictionary<string, FieldValue> Fields,
    DateTimeOffset StoredAt,
    IReadOnlyList<ActivityEvent> Events,
    DateTimeOffset? ConvertedAt,
    decimal? WonAmount)
{
    public IReadOnlyDictionary<string, DateTimeOffset> FieldsChangedAt { get; init; } = new Dictionary<string, DateTimeOffset>();
}
