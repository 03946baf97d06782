using LeadScore.Engine.Subjects;
using LeadScore.Engine.Values;

namespace LeadScore.Prediction.Snapshots;

/// <summary>
/// A contact as the store knows it now: its fields, when it was first seen, its whole activity
/// (oldest first), and when it first converted, with the amount it bought for.
/// </summary>
public sealed record LeadHistory(
    string Id,
    IReadOnlyDictionary<string, FieldValue> Fields,
    DateTimeOffset FirstSeen,
    IReadOnlyList<ActivityEvent> Events,
    DateTimeOffset? ConvertedAt,
    double? WonAmount);
