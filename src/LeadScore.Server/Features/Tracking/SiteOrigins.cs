namespace LeadScore.Server.Features.Tracking;

/// <summary>The origins a site key accepts, written the way browsers send them in the Origin header: scheme://host[:port].</summary>
public static class SiteOrigins
{
    /// <summary>Why the list cannot be used (empty, not an origin); null when it is fine.</summary>
    public static string? Check(IReadOnlyList<string>? origins)
    {
        if (origins is null || origins.Count == 0)
        {
            return "A site key needs at least one origin, such as \"https://www.example.com\": the pages that may use it.";
        }

        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                return $"'{origin}' is not an origin; write the scheme, host and port only, such as https://www.example.com or http://localhost:8080.";
            }
        }

        return null;
    }

    /// <summary>Lower case, no trailing slash, the default port left out: what a browser sends.</summary>
    public static string Normalise(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant() : origin.TrimEnd('/').ToLowerInvariant();
}
