using LeadScore.Server.Http;

namespace LeadScore.Server.Features.Tracking;

// What the website snippet (t.js) sends to /t/collect, for the OpenAPI document only: the handler reads
// the body by hand (TrackingApi.ReadBatch), keeping what it knows and ignoring the rest (a
// property or trait that is an object or an array counts as no value).

/// <summary>The snippet's request: the visitor (as ?v= says), its session, up to 50 events, who the visitor says they are, and a proof from a tracked email link.</summary>
internal sealed record CollectBody(IReadOnlyList<CollectedEventBody> Events, string? V = null, string? S = null, CollectIdentifyBody? Identify = null, string? C = null);

/// <summary>One page view or custom event; at is when it happened (now when absent).</summary>
internal sealed record CollectedEventBody(
    string Id, string Type, DateTimeOffset? At = null, string? Url = null, string? Title = null, string? Referrer = null,
    IReadOnlyDictionary<string, string>? Utm = null, IReadOnlyDictionary<string, FieldScalar>? Properties = null);

/// <summary>An email the visitor gave (a form), and the traits the site key lets it fill.</summary>
internal sealed record CollectIdentifyBody(string? Email = null, IReadOnlyDictionary<string, FieldScalar>? Traits = null);
