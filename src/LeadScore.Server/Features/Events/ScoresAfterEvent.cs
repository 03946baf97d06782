using LeadScore.Engine.Model;
using LeadScore.Storage;

namespace LeadScore.Server.Features.Events;

/// <summary>What a stored event left its contact with: its score under each published model, and the thresholds crossed on the way.</summary>
internal static class ScoresAfterEvent
{
    /// <summary>
    /// The scores of the event's contact, each compared with what it was just before
    /// <paramref name="sentAt"/>, the moment the request handed the event to the store. A score
    /// stamped since then changed while this request waited: by this event's transaction, or by a
    /// write to the same contact that committed meanwhile, which the answer cannot tell apart.
    /// </summary>
    public static async Task<IReadOnlyList<EventScore>> ReadAsync(ILeadStore store, WorkspaceId workspace, string eventId, DateTimeOffset sentAt, CancellationToken ct)
    {
        // Scores are stamped to the microsecond: compare on that grain, or a change in the same microsecond reads as older.
        var since = new DateTimeOffset(sentAt.UtcTicks - (sentAt.UtcTicks % 10), TimeSpan.Zero);
        var answer = new List<EventScore>();
        foreach (var score in await store.Events.GetScoresOfEventContactAsync(workspace, eventId, ct))
        {
            if (score.ScoredAt < since)
            {
                answer.Add(new EventScore(score.ModelKey, score.ModelVersion, score.RecordId, score.Score, score.Points, score.Grade, score.Score, [], null));
                continue;
            }

            var before = await store.Scores.GetScoreAtAsync(workspace, score.ModelKey, RecordKind.Contact, score.RecordId, since.AddTicks(-10), ct);
            var held = before?.Thresholds ?? [];
            var fell = held.Except(score.Thresholds, StringComparer.Ordinal).ToList();
            answer.Add(new EventScore(
                score.ModelKey, score.ModelVersion, score.RecordId, score.Score, score.Points, score.Grade, before?.NewScore,
                [.. score.Thresholds.Except(held, StringComparer.Ordinal)], fell.Count > 0 ? fell : null));
        }

        return answer;
    }
}
