using Microsoft.OpenApi;

namespace LeadScore.Server.Http;

/// <summary>
/// A type that documents a JSON value of several kinds, which no C# type is ("text, a number or true/false"):
/// its schema's <c>type</c> is <see cref="Kinds"/> (ApiSchemas). Its properties, if any, describe the object kind.
/// Such types are never serialised.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class JsonKindsAttribute(JsonSchemaType kinds) : Attribute
{
    public JsonSchemaType Kinds { get; } = kinds;
}
