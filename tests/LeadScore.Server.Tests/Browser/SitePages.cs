using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadScore.Server.Tests.Browser;

/// <summary>
/// A customer's website for browser tests: a real Kestrel app on 127.0.0.1 (a free port) serving
/// <see cref="SitePage"/>s whose tracked pages carry the snippet tag for a LeadScore server
/// (<c>&lt;script src="{leadScore}/t.js" data-site-key="..." async&gt;</c>). Without pages given, it
/// serves <see cref="DefaultPages"/>: a home page, pricing, a contact form posting to /thanks, a
/// single-page app and an untracked blog page that links in with UTM parameters.
/// </summary>
public sealed class SitePages : IAsyncDisposable
{
    public const string ContactFormName = "Contact us";

    private readonly WebApplication _app;

    private SitePages(WebApplication app, Uri address, string snippetTag)
    {
        _app = app;
        Address = address;
        SnippetTag = snippetTag;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri Address { get; }

    /// <summary>The script tag every tracked page has, as a customer would paste it.</summary>
    public string SnippetTag { get; }

    /// <summary>"/" (Acme Analytics), "/pricing", "/contact" (the contact form), "/thanks", "/app" (pushState navigation) and the untracked "/blog".</summary>
    public static IReadOnlyList<SitePage> DefaultPages { get; } =
    [
        new("/", "Acme Analytics", """
            <h1>Acme Analytics</h1>
            <a id="pricing-link" href="/pricing">Pricing</a>
            <a id="contact-link" href="/contact">Contact us</a>
            """),
        new("/pricing", "Pricing - Acme Analytics", """
            <h1>Pricing</h1>
            <button id="choose-pro" type="button" onclick="leadscore.track('pricing_viewed', {plan: 'pro'})">Choose Pro</button>
            <a id="contact-link" href="/contact">Talk to sales</a>
            """),
        new("/contact", "Contact - Acme Analytics", $"""
            <h1>Contact us</h1>
            <form id="contact" data-leadscore-form="{ContactFormName}" method="post" action="/thanks">
              <label>Name <input name="name" autocomplete="name"></label>
              <label>Email <input type="email" name="email" required></label>
              <label>Company <input name="company"></label>
              <input type="hidden" name="ref" value="footer">
              <button id="send" type="submit">Send</button>
            </form>
            """),
        new("/thanks", "Thanks - Acme Analytics", "<h1 id=\"thanks\">Thanks, we will be in touch.</h1>"),
        new("/app", "Dashboard - Acme App", """
            <h1 id="view">Dashboard</h1>
            <button id="to-settings" type="button"
              onclick="history.pushState({}, '', '/app/settings'); document.title = 'Settings - Acme App'; document.getElementById('view').textContent = 'Settings'">Settings</button>
            """),
        new("/blog", "Blog (not tracked)", """
            <h1>Partner blog</h1>
            <a id="campaign-link" href="/pricing?utm_source=partner-blog&amp;utm_medium=referral&amp;utm_campaign=spring">See Acme's pricing</a>
            """, Tracked: false),
    ];

    /// <summary>
    /// Starts the site. <paramref name="leadScore"/> is the LeadScore server the snippet is loaded from
    /// and reports to; <paramref name="siteKey"/> its public site key (pk_...).
    /// </summary>
    public static async Task<SitePages> StartAsync(
        Uri leadScore, string siteKey, IEnumerable<SitePage>? pages = null, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leadScore);
        var byPath = (pages ?? DefaultPages).ToDictionary(page => page.Path, StringComparer.Ordinal);
        var tag = $"""<script src="{WebUtility.HtmlEncode(new Uri(leadScore, "/t.js").ToString())}" data-site-key="{WebUtility.HtmlEncode(siteKey)}" async></script>""";

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Post], (HttpContext context) =>
            byPath.TryGetValue(context.Request.Path.Value ?? "/", out var page)
                ? Results.Content(page.Html(tag), "text/html; charset=utf-8")
                : Results.NotFound());
        // Keeps "favicon.ico 404" out of the browser console that failing tests save.
        app.MapGet("/favicon.ico", () => Results.NoContent());
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single() + "/");
        return new SitePages(app, address, tag);
    }

    /// <summary>
    /// A port free on 127.0.0.1 now, for a site whose origin must be known before it starts (a site
    /// key lists the origins it accepts).
    /// </summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> on this site.</summary>
    public Uri Url(string pathAndQuery) => new(Address, pathAndQuery);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
