using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LeadScore.Server.Tests.Browser;

/// <summary>
/// The body the snippet posts to /t/collect, read strictly: a missing field or one the protocol does
/// not have fails the read, so the snippet cannot drift from what the server expects unnoticed.
/// </summary>
public sealed record CollectedBatch(
    [property: JsonPropertyName("k")] string SiteKey,
    [property: JsonPropertyName("v")] string VisitorId,
    [property: JsonPropertyName("s")] string SessionId,
    IReadOnlyList<CollectedEvent> Events,
    CollectedIdentify? Identify = null)
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static CollectedBatch Parse(string json) =>
        JsonSerializer.Deserialize<CollectedBatch>(json, Strict) ?? throw new JsonException("The body is JSON null.");

    public IEnumerable<string> EventTypes => Events.Select(e => e.Type);
}

/// <summary>One event of a batch; <see cref="Utm"/> is null when the page URL had no utm_* parameters.</summary>
public sealed record CollectedEvent(
    string Id,
    string Type,
    DateTimeOffset At,
    string Url,
    string Title,
    string? Referrer,
    IReadOnlyDictionary<string, string>? Utm = null,
    JsonObject? Properties = null);

/// <summary>The identify part of a batch: the email and the other traits.</summary>
public sealed record CollectedIdentify(string Email, JsonObject Traits);
