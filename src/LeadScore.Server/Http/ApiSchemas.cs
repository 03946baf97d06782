using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LeadScore.Server.Http;

/// <summary>
/// Makes each schema say what the wire really carries: numbers are numbers (the web defaults would
/// also allow them as text, which no LeadScore answer sends and a typed client cannot use), and a
/// nullable property is not required, because a null is left out, never written. And gives their schema
/// to the types that document JSON no C# type describes: values of several kinds (<see cref="JsonKindsAttribute"/>),
/// the languages read by hand (<see cref="JsonLanguageAttribute"/>), and JSON passed on as it was written
/// (<see cref="DocumentedAsAttribute"/>).
/// </summary>
internal sealed class ApiSchemas : IOpenApiSchemaTransformer
{
    /// <summary>
    /// ASP.NET Core marks a nullable property whose schema becomes a reference with this, and wraps the reference in
    /// a oneOf with null; a schema made by a transformer (GetOrCreateSchemaAsync) is never wrapped.
    /// </summary>
    public const string NullableReference = "x-is-nullable-property";

    private const JsonSchemaType Numeric = JsonSchemaType.Integer | JsonSchemaType.Number;

    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var typeInfo = context.JsonTypeInfo;
        if (schema.Type is { } type && (type & Numeric) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (schema.Enum is { Count: > 0 } values)
        {
            // An enum's component is shared: a null (from a nullable use) or a default (from a parameter's) is the use's, not the enum's.
            foreach (var none in values.Where(v => v is null).ToList())
            {
                values.Remove(none);
            }

            schema.Default = null;
        }

        // Types told apart by their properties, not by a discriminator: ASP.NET Core would name one ($type) that no JSON has.
        if (typeInfo.PolymorphismOptions is { } polymorphism && polymorphism.DerivedTypes.All(d => d.TypeDiscriminator is null))
        {
            schema.Discriminator = null;
        }

        // ASP.NET Core reads [Description] on a property; on a type that documents JSON it says what the type is.
        if (typeInfo.Type.GetCustomAttribute<DescriptionAttribute>(inherit: false) is { } description)
        {
            schema.Description ??= description.Description;
        }

        if (typeInfo.Type.GetCustomAttribute<JsonKindsAttribute>(inherit: false) is { } kinds)
        {
            schema.Type = kinds.Kinds;
        }

        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            NotRequiredWhenNullable(required, properties, typeInfo);
        }

        if (IsLanguage(typeInfo.Type))
        {
            Closed(schema, typeInfo);
        }

        if (typeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is not null)
        {
            await LeavePlaceholdersAsync(schema, context, cancellationToken);
        }
    }

    private static bool IsLanguage(Type type) => type.IsDefined(typeof(JsonLanguageAttribute), inherit: true);

    private static void NotRequiredWhenNullable(ISet<string> required, IDictionary<string, IOpenApiSchema> properties, JsonTypeInfo typeInfo)
    {
        foreach (var (name, property) in properties)
        {
            if (IsNullable(property))
            {
                required.Remove(name);
            }
        }

        // A nullable property whose schema is a reference does not say it may be null: ask the type.
        if (typeInfo.Kind == JsonTypeInfoKind.Object)
        {
            foreach (var property in typeInfo.Properties)
            {
                if (property.IsGetNullable || Nullable.GetUnderlyingType(property.PropertyType) is not null)
                {
                    required.Remove(property.Name);
                }
            }
        }
    }

    private static bool IsNullable(IOpenApiSchema schema) =>
        (schema.Type is { } type && (type & JsonSchemaType.Null) != 0)
        || (schema.OneOf?.Any(IsNullable) ?? false)
        || (schema.AnyOf?.Any(IsNullable) ?? false);

    /// <summary>A language's type: a property may be left out but is not null, and no other property is allowed.</summary>
    private static void Closed(OpenApiSchema schema, JsonTypeInfo typeInfo)
    {
        // A derived type is made alone (SchemaPlaceholder), without the discriminator its base would give it.
        if (typeInfo.Type.BaseType is { } baseType && IsLanguage(baseType)
            && typeInfo.Options.GetTypeInfo(baseType).PolymorphismOptions is { TypeDiscriminatorPropertyName: var discriminator } polymorphism
            && polymorphism.DerivedTypes.FirstOrDefault(d => d.DerivedType == typeInfo.Type).TypeDiscriminator is string value)
        {
            schema.Properties = new Dictionary<string, IOpenApiSchema>(schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                [discriminator] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(value)] },
            };
            schema.Required = new HashSet<string>(schema.Required ?? new HashSet<string>()) { discriminator };
        }

        if (schema.Properties is { Count: > 0 } properties)
        {
            schema.AdditionalPropertiesAllowed = false;
            foreach (var property in properties.Values.OfType<OpenApiSchema>())
            {
                property.Type &= ~JsonSchemaType.Null;
                property.Metadata?.Remove(NullableReference);
            }
        }

        if (typeInfo.PolymorphismOptions is { } kinds && schema.AnyOf is { } members)
        {
            for (var i = 0; i < members.Count && i < kinds.DerivedTypes.Count; i++)
            {
                members[i] = SchemaPlaceholder.Of(kinds.DerivedTypes[i].DerivedType);
            }
        }
    }

    /// <summary>
    /// Leaves a <see cref="SchemaPlaceholder"/> for ApiDocument where a property is documented by another type, and
    /// where it holds a language's type, a list of one, or a language's enum (which would otherwise be repeated
    /// inline in each type made alone, and a client would make a type of each copy).
    /// </summary>
    private static async Task LeavePlaceholdersAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var properties = schema.Properties!;
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            if (property.AttributeProvider?.GetCustomAttributes(typeof(DocumentedAsAttribute), inherit: false) is [DocumentedAsAttribute documented, ..])
            {
                if (property.IsExtensionData)
                {
                    schema.AdditionalProperties = await context.GetOrCreateSchemaAsync(documented.Type, null, cancellationToken);
                }
                else
                {
                    properties[property.Name] = SchemaPlaceholder.Of(documented.Type);
                }

                continue;
            }

            if (!properties.TryGetValue(property.Name, out var current))
            {
                continue;
            }

            var declared = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsLanguage(declared) || (declared.IsEnum && IsLanguage(context.JsonTypeInfo.Type)))
            {
                var said = property.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: false) is [DescriptionAttribute own, ..] ? own.Description : null;
                properties[property.Name] = SchemaPlaceholder.Of(declared, said);
            }
            else if (property.Options.GetTypeInfo(property.PropertyType).ElementType is { } element && IsLanguage(element) && current is OpenApiSchema list)
            {
                list.Items = SchemaPlaceholder.Of(element);
            }
        }
    }
}
