using System.Text.Json;
using LeadScore.Engine.Values;
using LeadScore.Server.Http;
using LeadScore.Storage.Sources;

namespace LeadScore.Server.Features.Sources;

/// <summary>
/// A request's messages: one (<c>/v1/track</c>), a batch (<c>{"batch": [...], "context", "sentAt"}</c>,
/// whose context and sentAt every item inherits), or what a webhook destination posts (one message or
/// an array). Messages that cannot be read are refused alone, with their position and why.
/// </summary>
internal sealed record SegmentRequest(IReadOnlyList<SourceMessage> Messages, IReadOnlyList<RefusedMessage> Refused, int Total, IResult? Problem)
{
    public static SegmentRequest Read(JsonElement root, SourceCall? call, bool asWebhook, DateTimeOffset receivedAt)
    {
        if (call is not null)
        {
            return Of([root], call, new SegmentEnvelope(receivedAt), "$", single: true);
        }

        if (asWebhook)
        {
            return root.ValueKind == JsonValueKind.Array
                ? Of([.. root.EnumerateArray()], null, new SegmentEnvelope(receivedAt), "$", single: false)
                : Of([root], null, new SegmentEnvelope(receivedAt), "$", single: true);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
        {
            return Failed(Problems.BadRequest(
                "/v1/batch takes {\"batch\": [messages, each with its \"type\"], \"context\": {...}, \"sentAt\": \"...\"}; one message goes to /v1/track, /v1/identify...", "wrong-shape"));
        }

        if (JsonValues.Check(root.TryGetProperty("context", out var shared) ? shared : default, "$.context") is { } badContext)
        {
            return Failed(Problems.Unreadable(badContext));
        }

        var envelope = new SegmentEnvelope(receivedAt, shared.ValueKind == JsonValueKind.Object ? shared : null, SegmentSpec.TimeOf(root, "sentAt"));
        return Of([.. batch.EnumerateArray()], null, envelope, "$.batch", single: false);
    }

    private static SegmentRequest Of(IReadOnlyList<JsonElement> items, SourceCall? call, SegmentEnvelope envelope, string path, bool single)
    {
        var messages = new List<SourceMessage>(items.Count);
        var refused = new List<RefusedMessage>();
        for (var i = 0; i < items.Count; i++)
        {
            var (message, refusal) = SegmentSpec.Read(items[i], i, single ? path : $"{path}[{i}]", call, envelope);
            if (message is not null)
            {
                messages.Add(message);
            }
            else
            {
                refused.Add(refusal!);
            }
        }

        return new SegmentRequest(messages, refused, items.Count, null);
    }

    private static SegmentRequest Failed(IResult problem) => new([], [], 0, problem);
}
