namespace LeadScore.Server.Http;

/// <summary>
/// On a property whose C# type says nothing of its JSON (a <see cref="System.Text.Json.JsonElement"/> the server
/// passes on as it was written: a model, an automation, a review, a field map): the type that documents it. The
/// OpenAPI document gives the property that type's schema; the wire is unchanged. On extension data it documents
/// the value of each extra property.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DocumentedAsAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}
