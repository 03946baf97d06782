using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LeadScore.Server.Http;

/// <summary>
/// Makes each schema say what the wire really carries: numbers are numbers (the web defaults would
/// also allow them as text, which no LeadScore answer sends and a typed client cannot use), and a
/// nullable property is not required, because a null is left out, never written.
/// </summary>
internal sealed class ApiSchemas : IOpenApiSchemaTransformer
{
    private const JsonSchemaType Numeric = JsonSchemaType.Integer | JsonSchemaType.Number;

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && (type & Numeric) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var (name, property) in properties)
            {
                if (IsNullable(property))
                {
                    required.Remove(name);
                }
            }

            // A nullable property whose schema is a reference does not say it may be null: ask the type.
            if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object)
            {
                foreach (var property in context.JsonTypeInfo.Properties)
                {
                    if (property.IsGetNullable || Nullable.GetUnderlyingType(property.PropertyType) is not null)
                    {
                        required.Remove(property.Name);
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsNullable(IOpenApiSchema schema) =>
        (schema.Type is { } type && (type & JsonSchemaType.Null) != 0)
        || (schema.OneOf?.Any(IsNullable) ?? false)
        || (schema.AnyOf?.Any(IsNullable) ?? false);
}
