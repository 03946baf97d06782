namespace LeadScore.Server.Features.Tracking;

/// <summary>A new site key and the &lt;script&gt; tag to paste into the site's pages.</summary>
internal sealed record CreatedSiteResponse(SiteResponse Site, string Snippet);

/// <summary>The workspace's site keys, revoked ones included.</summary>
internal sealed record SitesResponse(IReadOnlyList<SiteResponse> Sites);

/// <summary>An email's open pixel URL and, when a link was given, its tracked link.</summary>
internal sealed record EmailLinksResponse(string? OpenPixel, string? Click);
