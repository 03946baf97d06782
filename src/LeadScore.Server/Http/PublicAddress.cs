using LeadScore.Server.Hosting;

namespace LeadScore.Server.Http;

/// <summary>The address browsers, mail clients and vendors reach this server at, for the URLs the API hands out.</summary>
internal static class PublicAddress
{
    /// <summary><c>--public-url</c> when set; otherwise the scheme and host the request came to.</summary>
    public static string Of(HttpRequest request, ServerOptions options) =>
        options.PublicUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}";
}
