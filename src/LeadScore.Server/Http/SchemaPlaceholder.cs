using Microsoft.OpenApi;

namespace LeadScore.Server.Http;

/// <summary>
/// Where a type's schema goes once every component exists: ApiSchemas leaves one for a property documented by another
/// type (<see cref="DocumentedAsAttribute"/>) and for each use of a language's type (<see cref="JsonLanguageAttribute"/>),
/// and ApiDocument puts a reference to the type's component there, making the component when no operation did.
/// </summary>
/// <remarks>
/// A reference made earlier sends ASP.NET Core's reference resolution round in circles when the component is
/// recursive (a model's condition holds conditions), and the schemas it inlines for types nested in one another
/// come out wrong (dotnet/aspnetcore#64048): a language's types are each their own component, made alone.
/// </remarks>
internal static class SchemaPlaceholder
{
    private const string Key = "leadscore-schema-of";

    public static OpenApiSchema Of(Type type, string? description = null) =>
        new() { Description = description, Metadata = new Dictionary<string, object> { [Key] = type } };

    public static Type? TypeOf(IOpenApiSchema schema) =>
        schema is OpenApiSchema { Metadata: { } metadata } && metadata.TryGetValue(Key, out var type) ? (Type)type : null;

    /// <summary>The component's name: the type's, after its declaring type's when nested (ModelConditionOnField), as ASP.NET Core names a derived type.</summary>
    public static string ComponentName(Type type) => type.DeclaringType is { } outer ? outer.Name + type.Name : type.Name;
}
