using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScore.Server.Http;

namespace LeadScore.Server.Features.Sources;

// The Segment Spec's message as the OpenAPI document describes it. The handlers read bodies with
// SegmentSpec, which also accepts what these types leave out (any nesting of traits and properties).

/// <summary>A Segment Spec message: identify, track, page, screen, group or alias.</summary>
internal sealed record SegmentMessageBody(
    string? Type = null, string? MessageId = null, string? UserId = null, string? AnonymousId = null,
    DateTimeOffset? Timestamp = null, DateTimeOffset? OriginalTimestamp = null, DateTimeOffset? SentAt = null,
    string? Event = null, string? Name = null, string? Category = null, string? GroupId = null, string? PreviousId = null, string? WriteKey = null,
    IReadOnlyDictionary<string, FieldScalar>? Properties = null, SegmentTraitsBody? Traits = null, SegmentContextBody? Context = null);

/// <summary>A batch: its messages (each with its type) and what they share.</summary>
internal sealed record SegmentBatchBody(IReadOnlyList<SegmentMessageBody> Batch, SegmentContextBody? Context = null, DateTimeOffset? SentAt = null, string? WriteKey = null);

/// <summary>The Spec's reserved traits (mapped to LeadScore's fields, see docs/integrations/segment.md); any other trait is a custom field.</summary>
internal sealed record SegmentTraitsBody(
    string? Email = null, string? FirstName = null, string? LastName = null, string? Name = null, string? Title = null, string? Phone = null,
    SegmentCompanyBody? Company = null, SegmentAddressBody? Address = null, DateTimeOffset? CreatedAt = null, string? Industry = null, double? Employees = null,
    string? Website = null, string? Domain = null, string? Plan = null)
{
    [JsonExtensionData, DocumentedAs(typeof(FieldScalar))]
    public IDictionary<string, JsonElement>? Custom { get; init; }
}

internal sealed record SegmentCompanyBody(string? Id = null, string? Name = null, string? Industry = null, [property: JsonPropertyName("employee_count")] double? EmployeeCount = null, string? Plan = null);

internal sealed record SegmentAddressBody(string? Country = null, string? City = null, string? State = null, string? PostalCode = null, string? Street = null);

/// <summary>The context LeadScore reads: the company to link (groupId), the page, and the UTM campaign.</summary>
internal sealed record SegmentContextBody(string? GroupId = null, SegmentPageBody? Page = null, SegmentCampaignBody? Campaign = null);

internal sealed record SegmentPageBody(string? Url = null, string? Path = null, string? Referrer = null, string? Title = null, string? Search = null);

internal sealed record SegmentCampaignBody(string? Name = null, string? Source = null, string? Medium = null, string? Term = null, string? Content = null);
