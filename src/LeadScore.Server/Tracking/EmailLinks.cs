using LeadScore.Storage;

namespace LeadScore.Server.Tracking;

/// <summary>The open pixel URL and tracked link of one email, made for any email tool (the API and the CLI make them alike).</summary>
public static class EmailLinks
{
    public sealed record Made(string? OpenPixel, string? Click, string? Problem);

    /// <param name="baseUrl">Where the server is reached from the internet, e.g. https://ls.example.com.</param>
    public static Made Make(string baseUrl, WorkspaceId workspace, string contact, string campaign, string? url, string secret)
    {
        if (string.IsNullOrWhiteSpace(contact) || string.IsNullOrWhiteSpace(campaign))
        {
            return new Made(null, null, "Name the contact and the campaign.");
        }

        Uri? link = null;
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out link) && link.Scheme is "http" or "https"))
        {
            return new Made(null, null, $"'{url}' is not an absolute http or https URL.");
        }

        var root = baseUrl.TrimEnd('/');
        var open = $"{root}/t/o/{EmailTokens.Sign(new EmailToken(workspace.Value, contact, campaign, null), secret)}";
        var click = link is null ? null
            : $"{root}/t/c/{EmailTokens.Sign(new EmailToken(workspace.Value, contact, campaign, link), secret)}?u={Uri.EscapeDataString(link.ToString())}";
        return new Made(open, click, null);
    }
}
