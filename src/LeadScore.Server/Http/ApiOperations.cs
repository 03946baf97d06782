using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LeadScore.Server.Http;

/// <summary>
/// What endpoint metadata cannot say about a few operations: a body that is one item or an array of
/// them, and an answer that has one of two shapes, or is text, depending on the query.
/// </summary>
internal static class ApiOperations
{
    /// <summary>The request body is one item as documented (<c>Accepts</c>) or an array of such items.</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> OneOrMany() => (operation, _, _) =>
    {
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true && media.Schema is { } one)
        {
            media.Schema = new OpenApiSchema { OneOf = [one, new OpenApiSchema { Type = JsonSchemaType.Array, Items = one }] };
        }

        return Task.CompletedTask;
    };

    /// <summary>The JSON answer of <paramref name="status"/> is either the documented one (<c>Produces</c>) or a <typeparamref name="T"/>.</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> OneOfResponse<T>(int status) => async (operation, context, ct) =>
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses?.TryGetValue(key, out var response) == true
            && response.Content?.TryGetValue("application/json", out var media) == true && media.Schema is { } documented)
        {
            var other = await context.GetOrCreateSchemaAsync(typeof(T), null, ct);
            media.Schema = new OpenApiSchema { OneOf = [documented, other] };
        }
    };

    /// <summary>The answer of <paramref name="status"/> may also be text of <paramref name="contentTypes"/> (a report), besides the documented JSON.</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> AlsoText(int status, params string[] contentTypes) => (operation, _, _) =>
    {
        if (operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true && response is OpenApiResponse { Content: { } content })
        {
            foreach (var type in contentTypes)
            {
                content[type] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }
        }

        return Task.CompletedTask;
    };

    /// <summary>Documents a body the handler reads by hand, for endpoints that must not refuse other content types.</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> Body<T>(params string[] contentTypes) => async (operation, context, ct) =>
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = contentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
        };
    };
}
