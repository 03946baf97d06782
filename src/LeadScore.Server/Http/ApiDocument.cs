using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LeadScore.Server.Http;

/// <summary>Titles the OpenAPI document and declares the bearer API key every <c>/api/v1</c> call needs.</summary>
internal sealed class ApiDocument : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "LeadScore API",
            Version = "v1",
            Description = "Lead scoring by fit and engagement. Every /api/v1 call needs 'Authorization: Bearer <api key>'; errors are RFC 9457 problems.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key: 'leadscore apikey create' prints one.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] });
        return Task.CompletedTask;
    }
}
