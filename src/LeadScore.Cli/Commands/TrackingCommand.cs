using System.CommandLine;
using LeadScore.Server.Features.Tracking;
using LeadScore.Server.Hosting;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Commands;

/// <summary><c>leadscore tracking site create|list|revoke</c> and <c>tracking email-link</c>: activity capture set up from the terminal.</summary>
internal static class TrackingCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider clock) =>
        new("tracking", "Website snippet keys and email tracking links.")
        {
            new Command("site", "Public site keys of the website snippet.")
            {
                CreateSite(output, error, clock),
                ListSites(output, error, clock),
                RevokeSite(output, error, clock),
            },
            EmailLink(output, error, clock),
        };

    private static Option<string> BaseUrl() => new("--base-url")
    {
        HelpName = "url",
        Description = "Where browsers and mail clients reach the LeadScore server.",
        DefaultValueFactory = _ => ServerOptions.DefaultUrls,
    };

    private static Command CreateSite(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var origins = new Option<string[]>("--origin") { Description = "A site that may send events with the key (scheme://host[:port]); repeat for several.", Required = true };
        var name = new Option<string>("--name") { Description = "A label for the key.", DefaultValueFactory = _ => "website" };
        var types = new Option<string[]>("--event-type") { Description = "An event type leadscore.track() may send besides page_view, session_start and form_submit; repeat for several.", DefaultValueFactory = _ => [] };
        var traits = new Option<string[]>("--trait") { Description = "A trait visitors may fill where a contact has no value yet (default: firstName, lastName, name, consent); repeat for several. Never owner, lifecycleStage, companyId, email, tags or lists." };
        var claims = new Option<string>("--claims") { Description = "An identify naming an existing contact by email: 'hold' (default) keeps it apart until a signed email click or the API confirms it; 'merge' merges at once (sites where visitors sign in).", DefaultValueFactory = _ => "hold" };
        var baseUrl = BaseUrl();
        var store = new StoreOptions();
        var command = new Command("create", """
            Makes a public site key and prints the <script> tag to paste into every page of the site.
            Example: leadscore tracking site create --origin https://www.example.com --base-url https://ls.example.com
            """)
        {
            origins, name, types, traits, claims, baseUrl,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var wanted = parse.GetValue(origins) ?? [];
            if (SiteOrigins.Check(wanted) is { } problem)
            {
                error.WriteLine($"leadscore: {problem}");
                return ExitCodes.UsageError;
            }

            if (VisitorTrust.ClaimsNamed(parse.GetValue(claims)) is not { } handling)
            {
                error.WriteLine($"leadscore: --claims is 'hold' or 'merge', not '{parse.GetValue(claims)}'.");
                return ExitCodes.UsageError;
            }

            var listed = parse.GetValue(traits);
            var (trust, badTraits) = VisitorTrust.Create(listed is { Length: > 0 } ? listed : null, handling);
            if (trust is null)
            {
                error.WriteLine($"leadscore: --trait: {badTraits}");
                return ExitCodes.UsageError;
            }

            return await store.RunAsync(parse, forWriting: true, error, clock, cancellationToken, async (opened, workspace) =>
            {
                var site = await opened.Tracking.CreateSiteKeyAsync(workspace, parse.GetValue(name)!, [.. wanted.Select(SiteOrigins.Normalise)], parse.GetValue(types) ?? [], trust, cancellationToken);
                output.WriteLine($"<script src=\"{parse.GetValue(baseUrl)!.TrimEnd('/')}/t.js\" data-site-key=\"{site.Key}\" async></script>");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command ListSites(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var store = new StoreOptions();
        var command = new Command("list", """
            Lists the site keys: key, name, origins, revoked, the traits visitors may fill and how their claims are handled.
            Example: leadscore tracking site list
            """);
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            foreach (var site in await opened.Tracking.ListSiteKeysAsync(workspace, cancellationToken))
            {
                output.WriteLine($"{site.Key}\t{site.Name}\t{string.Join(' ', site.Origins)}\t{(site.RevokedAt is { } at ? $"revoked {at:u}" : "active")}"
                    + $"\ttraits {string.Join(',', site.Trust.Traits)}\tclaims {VisitorTrust.NameOf(site.Trust.Claims)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RevokeSite(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var key = new Argument<string>("key") { Description = "The site key (pk_...)." };
        var store = new StoreOptions();
        var command = new Command("revoke", """
            Revokes a site key: pages using it stop recording (within seconds on running servers).
            Example: leadscore tracking site revoke pk_4f0c9a1b2c3d4e5f6a7b
            """)
        {
            key,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, forWriting: false, error, clock, cancellationToken, async (opened, workspace) =>
        {
            if (!await opened.Tracking.RevokeSiteKeyAsync(workspace, parse.GetValue(key)!, cancellationToken))
            {
                error.WriteLine($"leadscore: workspace '{workspace}' has no active site key '{parse.GetValue(key)}'.");
                return ExitCodes.UserError;
            }

            output.WriteLine($"revoked {parse.GetValue(key)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command EmailLink(TextWriter output, TextWriter error, TimeProvider clock)
    {
        var contact = new Option<string>("--contact") { Description = "The contact the email goes to.", Required = true };
        var campaign = new Option<string>("--campaign") { Description = "The campaign or email name, recorded with each open and click.", Required = true };
        var url = new Option<string?>("--url") { Description = "A link in the email to track (clicks redirect to it, and only to it)." };
        var baseUrl = BaseUrl();
        var store = new StoreOptions();
        var command = new Command("email-link", """
            Prints the open pixel URL (put it in an <img> of the email) and, with --url, the tracked link,
            signed so they cannot be forged or pointed elsewhere.
            Example: leadscore tracking email-link --contact c-1042 --campaign nov-newsletter --url https://www.example.com/pricing
            """)
        {
            contact, campaign, url, baseUrl,
        };
        store.AddTo(command);
        command.SetAction((parse, cancellationToken) => store.RunAsync(parse, forWriting: true, error, clock, cancellationToken, async (opened, workspace) =>
        {
            var secret = await opened.Tracking.GetTrackingSecretAsync(workspace, cancellationToken);
            var made = EmailLinks.Make(parse.GetValue(baseUrl)!, workspace, parse.GetValue(contact)!, parse.GetValue(campaign)!, parse.GetValue(url), secret);
            if (made.Problem is { } problem)
            {
                error.WriteLine($"leadscore: {problem}");
                return ExitCodes.UsageError;
            }

            output.WriteLine($"open: {made.OpenPixel}");
            if (made.Click is { } click)
            {
                output.WriteLine($"click: {click}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
