using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Runtime.InteropServices;
using System.Text.Json;
using LeadScore.Engine.Values;
using LeadScore.Storage.Records;

namespace LeadScore.Storage.Sources;

/// <summary>
/// Reads messages of the Segment Spec (what Segment's and RudderStack's SDKs, HTTP APIs, webhook
/// destinations and warehouse archives carry) into <see cref="SourceMessage"/>s: the Spec's reserved
/// traits named as LeadScore's fields, page and UTM context kept as event properties, and the time
/// corrected for the sender's clock. Pure: the server's <c>/v1/*</c> endpoints, its webhook modes
/// and <c>leadscore import segment</c> all read through here, so they mean the same.
/// </summary>
public static class SegmentSpec
{
    /// <summary>Segment's own limit for one message.</summary>
    public const int MaxMessageBytes = 32 * 1024;

    /// <summary>Segment's own limit for one batch request.</summary>
    public const int MaxBatchBytes = 500 * 1024;

    /// <summary>Messages dated further ahead than this are refused (a clock or unit mistake); historical ones are replays and backfills.</summary>
    public static readonly TimeSpan MaxFuture = TimeSpan.FromHours(24);

    // Nested trait and property objects are flattened ("preferences.newsletter") this deep, no further.
    private const int MaxDepth = 3;

    /// <summary>The Spec's reserved traits of identify, as LeadScore's contact fields (both spellings the Spec allows).</summary>
    public static IReadOnlyDictionary<string, string> ContactTraits { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "email",
        ["firstName"] = "firstName",
        ["first_name"] = "firstName",
        ["lastName"] = "lastName",
        ["last_name"] = "lastName",
        ["name"] = "name",
        ["title"] = "jobTitle",
        ["phone"] = "phone",
        ["company"] = "company",
        ["company.name"] = "company",
        ["company.industry"] = "industry",
        ["company.employee_count"] = "employees",
        ["company.employees"] = "employees",
        ["company.plan"] = "plan",
        ["industry"] = "industry",
        ["employees"] = "employees",
        ["address.country"] = "country",
        ["address.city"] = "city",
        ["address.state"] = "region",
        ["address.postalCode"] = "postalCode",
        ["address.postal_code"] = "postalCode",
        ["address.street"] = "street",
        ["age"] = "age",
        ["birthday"] = "birthday",
        ["createdAt"] = "createdAt",
        ["created_at"] = "createdAt",
        ["description"] = "description",
        ["gender"] = "gender",
        ["username"] = "username",
        ["website"] = "website",
        ["plan"] = "plan",
    }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The Spec's reserved traits of group, as LeadScore's company fields.</summary>
    public static IReadOnlyDictionary<string, string> CompanyTraits { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = "name",
        ["industry"] = "industry",
        ["employees"] = "employees",
        ["employee_count"] = "employees",
        ["website"] = "website",
        ["domain"] = "domain",
        ["plan"] = "plan",
        ["email"] = "email",
        ["phone"] = "phone",
        ["description"] = "description",
        ["address.country"] = "country",
        ["address.city"] = "city",
        ["address.state"] = "region",
        ["createdAt"] = "createdAt",
        ["created_at"] = "createdAt",
        ["annual_revenue"] = "annualRevenue",
        ["annualRevenue"] = "annualRevenue",
    }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>What <c>context.campaign</c> (the UTM parameters) becomes on page, screen and track events.</summary>
    public static IReadOnlyDictionary<string, string> CampaignProperties { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = "utm_campaign",
        ["source"] = "utm_source",
        ["medium"] = "utm_medium",
        ["term"] = "utm_term",
        ["content"] = "utm_content",
    }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly string[] PageProperties = ["url", "path", "referrer", "title", "search"];

    /// <summary>The call a message's <c>type</c> names, or null.</summary>
    public static SourceCall? CallNamed(string? type) => type?.ToLowerInvariant() switch
    {
        "identify" => SourceCall.Identify,
        "track" => SourceCall.Track,
        "page" => SourceCall.Page,
        "screen" => SourceCall.Screen,
        "group" => SourceCall.Group,
        "alias" => SourceCall.Alias,
        _ => null,
    };

    /// <summary>
    /// Reads one message. <paramref name="call"/> is the call the endpoint stands for (<c>/v1/track</c>),
    /// or null for a batch item, whose <c>type</c> says. Returns the message, or why it was refused.
    /// </summary>
    public static (SourceMessage? Message, RefusedMessage? Refused) Read(JsonElement element, int index, string path, SourceCall? call, SegmentEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Refuse(index, null, "each message must be one JSON object", path);
        }

        // The bytes as sent: measured and hashed without decoding, since they may not even be UTF-8.
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var size = raw.Length;
        var messageId = TextOf(element, "messageId");
        if (size > MaxMessageBytes)
        {
            return Refuse(index, messageId, $"the message takes {size:N0} bytes; one message may take at most {MaxMessageBytes:N0} (Segment's limit)", path);
        }

        if (JsonValues.Check(element, path) is { } unreadable)
        {
            return Refuse(index, messageId, unreadable.Reason, unreadable.Path);
        }

        var type = TextOf(element, "type");
        var named = CallNamed(type);
        if (call is null && named is null)
        {
            return Refuse(index, messageId, type is null
                ? "the message has no type: identify, track, page, screen, group or alias"
                : $"the type '{type}' is not one of identify, track, page, screen, group or alias", JsonValues.Child(path, "type"));
        }

        var kind = call ?? named!.Value;
        if (messageId is not null && FieldRules.CheckId(messageId, "message") is { } badId)
        {
            return Refuse(index, messageId, badId, JsonValues.Child(path, "messageId"));
        }

        // A message sent without an id gets one from its content: the same message sent again is the same event.
        messageId ??= "sha-" + Convert.ToHexStringLower(SHA256.HashData(raw))[..40];

        var userId = Id(element, "userId");
        var anonymousId = Id(element, "anonymousId");
        foreach (var (name, value, what) in new[] { ("userId", userId, "user"), ("anonymousId", anonymousId, "anonymous") })
        {
            if (value is null && element.TryGetProperty(name, out var sent) && sent.ValueKind is not (JsonValueKind.Null or JsonValueKind.String))
            {
                return Refuse(index, messageId, $"{name} must be text (or a number), not {sent.ValueKind.ToString().ToLowerInvariant()}", JsonValues.Child(path, name));
            }

            if (value is not null && FieldRules.CheckId(value, what) is { } bad)
            {
                return Refuse(index, messageId, bad, JsonValues.Child(path, name));
            }
        }

        string? previousId = null;
        if (kind == SourceCall.Alias)
        {
            previousId = Id(element, "previousId");
            if (userId is null || previousId is null)
            {
                return Refuse(index, messageId, "an alias needs both userId and previousId (the id merged into userId)", path);
            }
        }
        else if (userId is null && anonymousId is null)
        {
            return Refuse(index, messageId, "the message names nobody: send userId, anonymousId or both", path);
        }

        if (Time(element, envelope) is not { } timing)
        {
            return Refuse(index, messageId, "timestamp, originalTimestamp and sentAt must be ISO 8601 times such as 2026-12-01T10:00:00Z", path);
        }

        if (timing > envelope.ReceivedAt + MaxFuture)
        {
            return Refuse(index, messageId, $"the message is dated {timing:O}, more than {MaxFuture.TotalHours:0} hours after it arrived; check the sender's clock", JsonValues.Child(path, "timestamp"));
        }

        var context = new ContextReader(element, envelope.Context);
        var properties = ImmutableDictionary.CreateBuilder<string, FieldValue>(StringComparer.Ordinal);
        var traits = ImmutableDictionary<string, FieldValue>.Empty;
        string? eventName = null;
        var groupId = Id(context.Object("groupId"));
        string? companyId = null;
        switch (kind)
        {
            case SourceCall.Track:
                eventName = TextOf(element, "event");
                if (string.IsNullOrWhiteSpace(eventName))
                {
                    return Refuse(index, messageId, "a track call needs the event's name, such as \"Demo Requested\"", JsonValues.Child(path, "event"));
                }

                if (EventMapping.SnakeCase(eventName).Length == 0)
                {
                    return Refuse(index, messageId, $"the event's name '{eventName}' has no letter or digit to make an event type of", JsonValues.Child(path, "event"));
                }

                Flatten(Object(element, "properties"), "", 0, properties);
                AddCampaign(context, properties);
                break;
            case SourceCall.Page or SourceCall.Screen:
                Flatten(Object(element, "properties"), "", 0, properties);
                AddName(element, "name", properties);
                AddName(element, "category", properties);
                if (kind == SourceCall.Page && context.Object("page") is { ValueKind: JsonValueKind.Object } page)
                {
                    foreach (var name in PageProperties)
                    {
                        if (!properties.ContainsKey(name) && TextOf(page, name) is { } value)
                        {
                            properties[name] = FieldValue.FromText(value);
                        }
                    }
                }

                AddCampaign(context, properties);
                break;
            case SourceCall.Identify:
                var contact = ImmutableDictionary.CreateBuilder<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
                var traitsElement = Object(element, "traits") ?? context.Object("traits");
                MapTraits(traitsElement, ContactTraits, contact);
                if (traitsElement is { } t && t.TryGetProperty("company", out var company) && company.ValueKind == JsonValueKind.Object)
                {
                    companyId = Id(company, "id");
                }

                traits = contact.ToImmutable();
                break;
            case SourceCall.Group:
                groupId = Id(element, "groupId");
                if (groupId is null || FieldRules.CheckId(groupId, "group") is not null)
                {
                    return Refuse(index, messageId, "a group call needs the company's groupId (at most 200 characters)", JsonValues.Child(path, "groupId"));
                }

                var companyFields = ImmutableDictionary.CreateBuilder<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
                MapTraits(Object(element, "traits"), CompanyTraits, companyFields);
                if (!companyFields.ContainsKey("domain") && companyFields.TryGetValue("website", out var website) && DomainOf(website.Text) is { } domain)
                {
                    companyFields["domain"] = FieldValue.FromText(domain);
                }

                traits = companyFields.ToImmutable();
                break;
        }

        var message = new SourceMessage(index, kind, messageId, userId, anonymousId, timing, eventName, properties.ToImmutable(), traits, groupId, previousId)
        {
            Size = size,
            CompanyId = companyId,
        };
        return (message, null);
    }

    /// <summary>A website's host without <c>www.</c>: the company's domain.</summary>
    public static string? DomainOf(string website)
    {
        var text = website.Contains("://", StringComparison.Ordinal) ? website : "https://" + website;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        var host = uri.Host.ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    private static (SourceMessage?, RefusedMessage?) Refuse(int index, string? messageId, string reason, string? path) =>
        (null, new RefusedMessage(index, messageId, reason, path));

    /// <summary>
    /// When it happened: <c>timestamp</c> when the sender set it (a server library, a replay, a backfill);
    /// otherwise, when the client sent its own clock's <c>originalTimestamp</c> and <c>sentAt</c>, that
    /// time corrected for the clock's skew as Segment does, <c>receivedAt - (sentAt - originalTimestamp)</c>;
    /// with no time at all, when it arrived.
    /// </summary>
    private static DateTimeOffset? Time(JsonElement element, SegmentEnvelope envelope)
    {
        if (!TryTime(element, "timestamp", out var timestamp) || !TryTime(element, "originalTimestamp", out var original) || !TryTime(element, "sentAt", out var sentAt))
        {
            return null;
        }

        sentAt ??= envelope.SentAt;
        return timestamp
            ?? (original is { } o && sentAt is { } s ? envelope.ReceivedAt - (s - o) : original)
            ?? envelope.ReceivedAt;
    }

    private static bool TryTime(JsonElement element, string name, out DateTimeOffset? time)
    {
        time = null;
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.String && JsonValues.ReadText(value, "$", out var text) is null
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }

    /// <summary>A time as the envelope of a batch gives it (<c>sentAt</c>); null when absent or unreadable.</summary>
    public static DateTimeOffset? TimeOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && TryTime(element, name, out var time) ? time : null;

    private static void AddName(JsonElement element, string name, ImmutableDictionary<string, FieldValue>.Builder properties)
    {
        if (!properties.ContainsKey(name) && TextOf(element, name) is { } value)
        {
            properties[name] = FieldValue.FromText(value);
        }
    }

    private static void AddCampaign(ContextReader context, ImmutableDictionary<string, FieldValue>.Builder properties)
    {
        if (context.Object("campaign") is not { ValueKind: JsonValueKind.Object } campaign)
        {
            return;
        }

        foreach (var (name, property) in CampaignProperties)
        {
            if (!properties.ContainsKey(property) && TextOf(campaign, name) is { } value)
            {
                properties[property] = FieldValue.FromText(value);
            }
        }
    }

    /// <summary>Traits as fields: reserved ones under LeadScore's names, nested objects flattened, any other name kept as a custom field.</summary>
    private static void MapTraits(JsonElement? traits, IReadOnlyDictionary<string, string> reserved, ImmutableDictionary<string, FieldValue>.Builder fields)
    {
        var flat = ImmutableDictionary.CreateBuilder<string, FieldValue>(StringComparer.Ordinal);
        Flatten(traits, "", 0, flat);
        // Reserved names first, so that a custom trait never hides the standard field it maps to.
        foreach (var (name, value) in flat.OrderBy(f => reserved.ContainsKey(f.Key) ? 1 : 0))
        {
            if (name.Equals("id", StringComparison.OrdinalIgnoreCase) || name.Equals("company.id", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var field = reserved.TryGetValue(name, out var mapped) ? mapped : name;
            if (!value.IsMissing)
            {
                fields[field] = value;
            }
        }
    }

    /// <summary>Scalars as they are, nested objects as dotted names (<c>address.city</c>), arrays as their JSON text.</summary>
    private static void Flatten(JsonElement? element, string prefix, int depth, ImmutableDictionary<string, FieldValue>.Builder into)
    {
        if (element is not { ValueKind: JsonValueKind.Object } value)
        {
            return;
        }

        foreach (var property in value.EnumerateObject())
        {
            var name = prefix + property.Name;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object when depth < MaxDepth:
                    Flatten(property.Value, name + ".", depth + 1, into);
                    break;
                case JsonValueKind.Object or JsonValueKind.Array:
                    into[name] = FieldValue.FromText(property.Value.GetRawText());
                    break;
                case JsonValueKind.Null or JsonValueKind.Undefined:
                    break;
                default:
                    if (JsonValues.ReadScalar(property.Value, "$", out var scalar) is null && !scalar.IsMissing)
                    {
                        into[name] = scalar;
                    }

                    break;
            }
        }
    }

    private static JsonElement? Object(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    /// <summary>A property's text; null when absent, empty, not text, or text that cannot be read (not UTF-8, a lone surrogate).</summary>
    public static string? TextOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && JsonValues.ReadText(value, "$", out var text) is null && text.Length > 0 ? text : null;

    /// <summary>An id as the SDKs send it: text, or a number some send for userId.</summary>
    private static string? Id(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? Id(value) : null;

    private static string? Id(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } text when JsonValues.ReadText(text, "$", out var read) is null && !string.IsNullOrWhiteSpace(read) => read.Trim(),
        { ValueKind: JsonValueKind.Number } number => number.GetRawText(),
        _ => null,
    };

    /// <summary>A message's context, with the batch's context under it: the message's own keys win.</summary>
    private readonly struct ContextReader(JsonElement message, JsonElement? batch)
    {
        private readonly JsonElement? _own = SegmentSpec.Object(message, "context");

        public JsonElement? Object(string name) =>
            _own is { } own && own.TryGetProperty(name, out var value) ? value
            : batch is { ValueKind: JsonValueKind.Object } shared && shared.TryGetProperty(name, out var inherited) ? inherited
            : null;
    }
}

/// <summary>What a request (or archive) gives every message: the batch's <c>context</c> and <c>sentAt</c>, and when it arrived.</summary>
public sealed record SegmentEnvelope(DateTimeOffset ReceivedAt, JsonElement? Context = null, DateTimeOffset? SentAt = null);
