using System.Buffers;
using LeadScore.Storage;

namespace LeadScore.Server.Features.Tracking;

/// <summary>The open pixel URL and tracked link of one email, made for any email tool (the API and the CLI make them alike).</summary>
public static class EmailLinks
{
    // C0 and C1 controls and DEL.
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c), .. Enumerable.Range(0x7f, 0x21).Select(c => (char)c)]);

    public sealed record Made(string? OpenPixel, string? Click, string? Problem);

    /// <param name="baseUrl">Where the server is reached from the internet, e.g. https://ls.example.com.</param>
    public static Made Make(string baseUrl, WorkspaceId workspace, string contact, string campaign, string? url, string secret)
    {
        if (string.IsNullOrWhiteSpace(contact) || string.IsNullOrWhiteSpace(campaign))
        {
            return new Made(null, null, "Name the contact and the campaign.");
        }

        // A click answers with the link in a Location header, where a CR or LF would end the header
        // (or split the response); no address needs a raw control character, so none is signed.
        // The URL is not echoed: its line breaks would reach logs and terminals as they are.
        if (url is not null && url.AsSpan().IndexOfAny(ControlCharacters) is >= 0 and var at)
        {
            return new Made(null, null,
                $"The url has a control character (U+{(int)url[at]:X4} at position {at + 1}; a line break, tab or the like), which no link may hold. "
                + "Remove it, or percent-encode it (%0D, %0A...) if the address really holds it.");
        }

        Uri? link = null;
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out link) && link.Scheme is "http" or "https"))
        {
            return new Made(null, null, $"'{url}' is not an absolute http or https URL.");
        }

        if (link is not null && RedirectTarget(link) is null)
        {
            return new Made(null, null, $"'{url}' cannot be sent as a redirect (Location header); give the address in plain ASCII.");
        }

        var root = baseUrl.TrimEnd('/');
        var open = $"{root}/t/o/{EmailTokens.Sign(new EmailToken(workspace.Value, contact, campaign, null), secret)}";
        var click = link is null ? null
            : $"{root}/t/c/{EmailTokens.Sign(new EmailToken(workspace.Value, contact, campaign, link), secret)}?u={Uri.EscapeDataString(link.ToString())}";
        return new Made(open, click, null);
    }

    /// <summary>
    /// What a click's Location header says for <paramref name="link"/>: the link in printable ASCII
    /// (punycode host, percent-encoded path, query and fragment), or null when it cannot be written so.
    /// Worked out before a click is recorded, so a click is never recorded for a redirect that fails.
    /// </summary>
    public static string? RedirectTarget(Uri link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var host = link.HostNameType == UriHostNameType.IPv6 ? link.Host : link.IdnHost;
        var user = link.UserInfo.Length > 0 ? link.UserInfo + "@" : "";
        var port = link.IsDefaultPort ? "" : $":{link.Port}";
        var target = $"{link.Scheme}://{user}{host}{port}{link.PathAndQuery}{link.Fragment}";
        return target.AsSpan().ContainsAnyExceptInRange('!', '~') ? null : target;
    }
}
