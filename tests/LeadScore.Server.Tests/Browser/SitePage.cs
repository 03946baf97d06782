namespace LeadScore.Server.Tests.Browser;

/// <summary>
/// One HTML page of a <see cref="SitePages"/> site, answered to GET and POST on <see cref="Path"/>
/// (whatever the query). <see cref="Head"/> goes before the snippet tag, so a page can queue calls
/// before the snippet loads; an untracked page has no snippet at all.
/// </summary>
public sealed record SitePage(string Path, string Title, string Body, string Head = "", bool Tracked = true)
{
    public string Html(string snippetTag) =>
        $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{System.Net.WebUtility.HtmlEncode(Title)}</title>
        {Head}
        {(Tracked ? snippetTag : "")}
        </head>
        <body>
        {Body}
        </body>
        </html>
        """;
}
