using System.ComponentModel;
using Microsoft.OpenApi;

namespace LeadScore.Server.Http;

/// <summary>
/// The value of a record's field or an event's property in JSON: text (an instant as ISO 8601 text), a number,
/// true or false, or null for none. For the OpenAPI document only.
/// </summary>
[JsonKinds(JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean | JsonSchemaType.Null)]
[Description("A field's or an event property's value: text (an instant as ISO 8601 text), a number, true or false, or null for none")]
internal sealed record FieldScalar;
