using System.Text.Json;
using System.Text.Json.Serialization;
using LeadScore.Server.Http;

namespace LeadScore.Server.Features.Records;

// What a client may send for a record, for the OpenAPI document only: the handlers read the body as a
// line of 'leadscore import' (JsonRow), where every key besides the id and the links is a field. The
// named fields are those the examples and the dashboard use; any other goes in as it is.

/// <summary>A contact: its id (or the URL's), the company it works at, and any fields (numbers, text, booleans, ISO 8601 dates).</summary>
internal sealed record ContactBody(string? Id = null, string? CompanyId = null, string? Email = null, string? FirstName = null, string? LastName = null, string? JobTitle = null)
{
    [JsonExtensionData, DocumentedAs(typeof(FieldScalar))]
    public IDictionary<string, JsonElement>? Fields { get; init; }
}

/// <summary>A company: its id (or the URL's) and any fields.</summary>
internal sealed record CompanyBody(string? Id = null, string? Name = null, string? Domain = null, string? Industry = null, double? Employees = null)
{
    [JsonExtensionData, DocumentedAs(typeof(FieldScalar))]
    public IDictionary<string, JsonElement>? Fields { get; init; }
}

/// <summary>A deal: its id (or the URL's), its contact and company, its amount and expected close date, and any fields.</summary>
internal sealed record DealBody(string? Id = null, string? ContactId = null, string? CompanyId = null, double? Amount = null, string? Stage = null, DateOnly? ExpectedCloseDate = null)
{
    [JsonExtensionData, DocumentedAs(typeof(FieldScalar))]
    public IDictionary<string, JsonElement>? Fields { get; init; }
}
