using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using LeadScore.Engine.Values;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Server.Telemetry;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Tracking;

/// <summary>
/// Activity capture. Public, unauthenticated endpoints under <c>/t</c>: the website snippet
/// (<c>/t.js</c>), what it sends (<c>/t/collect</c>, with a public site key, from the key's origins
/// only), and email open pixels and tracked links (signed tokens). Under <c>/api/v1</c>: site keys
/// and the making of email tracking links.
/// </summary>
internal static class TrackingApi
{
    /// <summary>The most events one snippet request carries.</summary>
    public const int MaxEventsPerRequest = 50;

    // A 1x1 transparent GIF.
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private static readonly Lazy<byte[]> Snippet = new(() =>
    {
        using var stream = typeof(TrackingApi).Assembly.GetManifestResourceStream("t.js")
            ?? throw new InvalidOperationException("The snippet t.js is not embedded in the server assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static void MapTrackingApi(this IEndpointRouteBuilder app, ServerOptions options)
    {
        var tracking = app.MapGroup("/t").WithTags("tracking");

        app.MapGet("/t.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return TypedResults.Bytes(Snippet.Value, "text/javascript; charset=utf-8");
        }).WithTags("tracking").WithName("GetSnippet").Produces<string>(StatusCodes.Status200OK, "text/javascript").WithSummary("The website snippet: <script src=\".../t.js\" data-site-key=\"pk_...\" async></script>");

        tracking.MapMethods("/collect", ["OPTIONS"], async (HttpContext http, string? k, TrackingGuards guards, CancellationToken ct) =>
        {
            if (k is not null && await guards.SiteAsync(k, ct) is { } site && AllowOrigin(http, site))
            {
                http.Response.Headers.AccessControlAllowMethods = "POST";
                http.Response.Headers.AccessControlAllowHeaders = "Content-Type";
                http.Response.Headers.AccessControlMaxAge = "86400";
            }

            return Results.NoContent();
        }).ExcludeFromDescription();

        tracking.MapPost("/collect", async (HttpContext http, string? k, string? v, ILeadStore store, TrackingGuards guards, LeadScoreMetrics metrics, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(k) || await guards.SiteAsync(k, ct) is not { } site)
            {
                return Problems.Refused("The site key (?k=pk_...) is missing, unknown or revoked; 'leadscore tracking site create' makes one.", "unknown-site-key");
            }

            if (!AllowOrigin(http, site))
            {
                metrics.TrackingRefused("origin");
                return Problems.Refused($"Origin '{http.Request.Headers.Origin}' may not use this site key; it allows {string.Join(", ", site.Origins)}.", "origin-not-allowed");
            }

            if (TrackingGuards.IsBot(http.Request.Headers.UserAgent))
            {
                // Answered like any visit, so a bot learns nothing; counted, not stored.
                metrics.TrackingRefused("bot");
                return Results.NoContent();
            }

            if (string.IsNullOrEmpty(v))
            {
                return Problems.BadRequest("The visitor id (?v=...) is missing.", "invalid-visitor");
            }

            if (!guards.TryAcquire(site, v, out var retryAfter))
            {
                metrics.TrackingRefused("rate-limit");
                return Problems.TooManyRequests(http.Response, retryAfter,
                    $"Too many tracking requests from this visitor or site; retry after {Problems.RetrySeconds(retryAfter)} s.");
            }

            using var body = await JsonBody.ReadAsync(http.Request, options.MaxTrackingBodyBytes, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var (batch, problem) = ReadBatch(body.Document!.RootElement, site, v, http.Request.Headers.UserAgent.ToString(), options.Time.GetUtcNow());
            if (batch is null)
            {
                return problem!;
            }

            if (Text(body.Document!.RootElement, "c") is { } proof)
            {
                // Proof from a tracked email link (VisitorProofs): the browser is that contact's. Anything else is ignored, not refused.
                batch = batch with
                {
                    // No secret yet means no link was ever made, so no proof can be right; an anonymous request never makes one.
                    ConfirmedContact = await guards.FindSecretAsync(site.Workspace, ct) is { } secret
                        ? VisitorProofs.Verify(proof, site.Workspace.Value, options.Time.GetUtcNow(), secret)
                        : null,
                };
            }

            var stored = await store.Tracking.CollectAsync(site.Workspace, batch, site.Trust, ct);
            if (!stored.Succeeded)
            {
                return Problems.From(stored.Error);
            }

            if (stored.Value.ContactId is null)
            {
                // The browser of an erased person: answered like any visit, stored nowhere.
                metrics.TrackingRefused("erased");
                return Results.NoContent();
            }

            metrics.EventsIngested(stored.Value.Ingest.Accepted, stored.Value.Ingest.Duplicates, stored.Value.Ingest.Rejected.Length);
            return Results.NoContent();
        }).WithName("Collect")
          // Not Accepts<T>: that would refuse the text/plain a page's sendBeacon sends to avoid a CORS preflight.
          .AddOpenApiOperationTransformer(ApiOperations.Body<CollectBody>("application/json", "text/plain")).Produces(StatusCodes.Status204NoContent)
          .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
          .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests)
          .WithSummary("What the snippet sends: ?k=SITE_KEY&v=VISITOR with {v, s, events: [{id, type, at, url, title, referrer, utm, properties}], identify?: {email, traits}, c?: proof}");

        tracking.MapGet("/o/{token}", async (string token, HttpContext http, ILeadStore store, TrackingGuards guards, CancellationToken ct) =>
        {
            if (await VerifyAsync(token, guards, ct) is not { IsClick: false } open)
            {
                return ForgedToken();
            }

            var machine = TrackingGuards.IsMachineOpen(http.Request.Headers.UserAgent);
            await RecordAsync(store, open, "email_open", machine, options.Time, ct);
            http.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate, private";
            return TypedResults.Bytes(Pixel, "image/gif");
        }).WithName("EmailOpen").Produces<byte[]>(StatusCodes.Status200OK, "image/gif").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("An email's open pixel: records email_open (with machine: true for mail privacy proxies) and returns a 1x1 GIF");

        tracking.MapGet("/c/{token}", async (string token, string? u, ILeadStore store, TrackingGuards guards, CancellationToken ct) =>
        {
            if (await VerifyAsync(token, guards, ct) is not { Link: { } link } click)
            {
                return ForgedToken();
            }

            // The link a token names is the only place it leads: anything else would make it an open redirect.
            if (u is not null && u != link.ToString())
            {
                return Problems.BadRequest("This tracked link leads to another address than ?u= says; nothing was recorded.", "link-mismatch");
            }

            // The Location is made first: a click is recorded only when its redirect can be answered.
            var landing = await WithProofAsync(link, click, guards, options.Time, ct);
            if (EmailLinks.RedirectTarget(landing) is not { } location)
            {
                return Problems.BadRequest("This tracked link's address cannot be sent as a redirect; nothing was recorded.", "invalid-link");
            }

            await RecordAsync(store, click, "email_click", false, options.Time, ct);
            return TypedResults.Redirect(location);
        }).WithName("EmailClick").Produces(StatusCodes.Status302Found).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
          .WithSummary("An email's tracked link: records email_click and redirects to the link the token was made for");
    }

    public static void MapTrackingAdminApi(this RouteGroupBuilder api, ServerOptions options)
    {
        var group = api.MapGroup("").WithTags("tracking");
        var read = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Read));
        var write = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Write));
        var admin = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Admin));

        admin.MapPost("/sites", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var bound = await JsonBody.ReadAsync<NewSiteBody>(request, options.MaxSingleBodyBytes, "{name, origins: [\"https://www.example.com\"], eventTypes (optional)}", ct);
            if (bound.Value is not { } wanted)
            {
                return bound.Problem!;
            }

            if (SiteOrigins.Check(wanted.Origins) is { } badOrigin)
            {
                return Problems.BadRequest(badOrigin, "invalid-origin");
            }

            if (VisitorTrust.ClaimsNamed(wanted.Identify?.Claims) is not { } claims)
            {
                return Problems.BadRequest($"identify.claims is 'hold' (the default: a visitor naming an existing contact by email is held until confirmed) or 'merge', not '{wanted.Identify?.Claims}'.", "invalid-identify");
            }

            var (trust, badTraits) = VisitorTrust.Create(wanted.Identify?.Traits, claims);
            if (trust is null)
            {
                return Problems.BadRequest($"identify.traits: {badTraits}", "invalid-identify");
            }

            var site = await store.Tracking.CreateSiteKeyAsync(user.Workspace(), wanted.Name, [.. wanted.Origins.Select(SiteOrigins.Normalise)], wanted.EventTypes ?? [], trust, ct);
            var snippet = $"<script src=\"{PublicAddress.Of(request, options)}/t.js\" data-site-key=\"{site.Key}\" async></script>";
            return TypedResults.Created($"/api/v1/sites/{site.Id}", new CreatedSiteResponse(SiteResponse.From(site), snippet));
        }).Accepts<NewSiteBody>("application/json").WithName("CreateSite").Produces<CreatedSiteResponse>(StatusCodes.Status201Created).WithSummary("Makes a public site key for the website snippet (identify: {traits, claims} says what its visitors may claim); the response holds the <script> tag to paste");

        read.MapGet("/tracking/claims", async (ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            TypedResults.Ok(new ClaimsResponse([.. (await store.Tracking.ListVisitorClaimsAsync(user.Workspace(), ct)).Select(ClaimResponse.From)])))
            .WithName("ListVisitorClaims").WithSummary("Visitors who said by email alone that they are an existing contact, held until confirmed");

        write.MapPost("/tracking/claims/{visitor}/confirm", async Task<IResult> (string visitor, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var confirmed = await store.Tracking.ConfirmVisitorClaimAsync(user.Workspace(), visitor, ct);
            return confirmed.Succeeded
                ? TypedResults.Ok(new ConfirmedClaimResponse(visitor, confirmed.Value.ContactId!, confirmed.Value.Merged))
                : Problems.From(confirmed.Error);
        }).WithName("ConfirmVisitorClaim").Produces<ConfirmedClaimResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
          .WithSummary("Confirms a visitor's claim (the CRM or your back end knows it is them): its activity joins the contact, which is re-scored");

        write.MapDelete("/tracking/claims/{visitor}", async Task<IResult> (string visitor, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Tracking.RejectVisitorClaimAsync(user.Workspace(), visitor, ct)
                ? TypedResults.NoContent()
                : Problems.NotFound($"There is no claim of a visitor '{visitor}' waiting for confirmation.", "unknown-claim"))
            .WithName("RejectVisitorClaim").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Rejects a visitor's claim: the visitor stays an anonymous contact of its own");

        read.MapGet("/sites", async (ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            TypedResults.Ok(new SitesResponse([.. (await store.Tracking.ListSiteKeysAsync(user.Workspace(), ct)).Select(SiteResponse.From)])))
            .WithName("ListSites").WithSummary("Lists the site keys");

        admin.MapDelete("/sites/{id}", async Task<IResult> (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Tracking.RevokeSiteKeyAsync(user.Workspace(), id, ct)
                ? TypedResults.NoContent()
                : Problems.NotFound($"There is no active site key '{id}' in this workspace.", "unknown-site-key"))
            .WithName("RevokeSite").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Revokes a site key (within seconds on every server)");

        write.MapPost("/tracking/email-links", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, TrackingGuards guards, CancellationToken ct) =>
        {
            var bound = await JsonBody.ReadAsync<EmailLinkBody>(request, options.MaxSingleBodyBytes, "{contact, campaign, url (optional: the link to track)}", ct);
            if (bound.Value is not { } wanted)
            {
                return bound.Problem!;
            }

            var secret = await guards.SecretAsync(user.Workspace(), ct);
            var made = EmailLinks.Make(PublicAddress.Of(request, options), user.Workspace(), wanted.Contact, wanted.Campaign, wanted.Url, secret);
            return made.Problem is { } problem ? Problems.BadRequest(problem, "invalid-link") : TypedResults.Ok(new EmailLinksResponse(made.OpenPixel, made.Click));
        }).Accepts<EmailLinkBody>("application/json").WithName("MakeEmailLinks").Produces<EmailLinksResponse>().WithSummary("Makes an email's open pixel URL and, with url, its tracked link, for any email tool");
    }

    private static bool AllowOrigin(HttpContext http, SiteKey site)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !site.Origins.Contains(SiteOrigins.Normalise(origin), StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        http.Response.Headers.AccessControlAllowOrigin = origin;
        http.Response.Headers.Vary = "Origin";
        return true;
    }

    /// <summary>
    /// Reads the snippet's body into a visitor batch; the types the site key may not write refuse the
    /// whole request. Its values were checked as the body was read (<see cref="JsonBody.ReadAsync(HttpRequest, long, CancellationToken)"/>),
    /// so every string here decodes and every number is finite.
    /// </summary>
    private static (VisitorBatch? Batch, IResult? Problem) ReadBatch(JsonElement root, SiteKey site, string visitor, string userAgent, DateTimeOffset now)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var eventsElement) || eventsElement.ValueKind != JsonValueKind.Array)
        {
            return (null, Problems.BadRequest("The body is {v, s, events: [...], identify?}.", "wrong-shape"));
        }

        if (root.TryGetProperty("v", out var bodyVisitor) && (bodyVisitor.ValueKind != JsonValueKind.String || bodyVisitor.GetString() != visitor))
        {
            return (null, Problems.BadRequest("The visitor id in the body differs from ?v=.", "invalid-visitor"));
        }

        if (eventsElement.GetArrayLength() > MaxEventsPerRequest)
        {
            return (null, Problems.TooLarge($"{eventsElement.GetArrayLength()} events; the snippet sends at most {MaxEventsPerRequest} at once."));
        }

        var session = root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var events = new List<EventInput>();
        var index = 0;
        foreach (var item in eventsElement.EnumerateArray())
        {
            var path = $"$.events[{index++}]";
            if (item.ValueKind != JsonValueKind.Object || Text(item, "id") is not { Length: > 0 and <= 64 } id || Text(item, "type") is not { Length: > 0 } type)
            {
                return (null, Problems.BadRequest($"{path} needs an id (at most 64 characters) and a type.", "wrong-shape"));
            }

            if (!site.Allows(type))
            {
                return (null, Problems.Refused($"{path}: this site key may not write '{type}' events; it writes {string.Join(", ", SiteKey.TrackingEventTypes.Concat(site.EventTypes))}. Nothing was stored.", "event-type-not-allowed"));
            }

            var at = Text(item, "at") is { } atText && DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                ? parsed
                : now;
            var properties = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
            foreach (var name in new[] { "url", "title", "referrer" })
            {
                if (Text(item, name) is { } value)
                {
                    properties[name] = FieldValue.FromText(value.Length > 2000 ? value[..2000] : value);
                }
            }

            if (Text(item, "url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var page))
            {
                properties["path"] = FieldValue.FromText(page.AbsolutePath);
            }

            if (item.TryGetProperty("utm", out var utm) && utm.ValueKind == JsonValueKind.Object)
            {
                foreach (var part in utm.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Take(5))
                {
                    properties[$"utm_{part.Name}"] = FieldValue.FromText(part.Value.GetString());
                }
            }

            if (item.TryGetProperty("properties", out var custom) && custom.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in custom.EnumerateObject().Take(20))
                {
                    properties[property.Name] = Scalar(property.Value);
                }
            }

            if (session is not null)
            {
                properties["session"] = FieldValue.FromText(session);
            }

            properties["userAgent"] = FieldValue.FromText(userAgent.Length > 300 ? userAgent[..300] : userAgent);

            // Namespaced by visitor: a page cannot take, or block, the id of another visitor's event or of a CRM event.
            events.Add(new EventInput($"web-{visitor}-{id}", null, null, type, at, properties));
        }

        string? email = null;
        Dictionary<string, FieldValue>? traits = null;
        if (root.TryGetProperty("identify", out var identify) && identify.ValueKind == JsonValueKind.Object)
        {
            email = Text(identify, "email");
            if (identify.TryGetProperty("traits", out var given) && given.ValueKind == JsonValueKind.Object)
            {
                traits = given.EnumerateObject().Take(30).ToDictionary(t => t.Name, t => Scalar(t.Value), StringComparer.OrdinalIgnoreCase);
            }
        }

        return (new VisitorBatch(visitor, events, email, traits), null);
    }

    /// <summary>A trait as a field value (long text cut to 500 characters); what no store can hold is missing, and so ignored.</summary>
    private static FieldValue Scalar(JsonElement value) =>
        JsonValues.ReadScalar(value, "$", out var read) is null && read.Kind == FieldKind.Text && read.Text.Length > 500
            ? FieldValue.FromText(read.Text[..500])
            : read;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<EmailToken?> VerifyAsync(string token, TrackingGuards guards, CancellationToken ct)
    {
        if (EmailTokens.WorkspaceOf(token) is not { } workspace || !WorkspaceId.IsValid(workspace))
        {
            return null;
        }

        // Only a workspace that made a link has a secret; any other name is as forged as a bad signature.
        return await guards.FindSecretAsync(new WorkspaceId(workspace), ct) is { } secret ? EmailTokens.Verify(token, secret) : null;
    }

    private static async Task RecordAsync(ILeadStore store, EmailToken token, string type, bool machine, TimeProvider time, CancellationToken ct)
    {
        var properties = new Dictionary<string, FieldValue>(StringComparer.Ordinal)
        {
            ["campaign"] = FieldValue.FromText(token.Campaign),
            ["machine"] = FieldValue.FromBoolean(machine),
        };
        if (token.Link is { } link)
        {
            properties["url"] = FieldValue.FromText(link.ToString());
        }

        // Strict: an erased contact's old emails record nothing, and create nobody.
        await store.Events.IngestEventsAsync(new WorkspaceId(token.Workspace),
            [new EventInput($"{type}-{Guid.CreateVersion7(time.GetUtcNow()):N}", token.Contact, null, type, time.GetUtcNow(), properties)],
            new IngestOptions { Strict = true }, ct);
    }

    /// <summary>
    /// A click that lands on the workspace's own site carries a proof for the snippet there, so the
    /// browser is linked to the contact the email went to; links elsewhere are left as they were made.
    /// </summary>
    private static async Task<Uri> WithProofAsync(Uri link, EmailToken click, TrackingGuards guards, TimeProvider time, CancellationToken ct)
    {
        var workspace = new WorkspaceId(click.Workspace);
        var origin = SiteOrigins.Normalise(link.GetLeftPart(UriPartial.Authority));
        if (!await guards.IsSiteOriginAsync(workspace, origin, ct))
        {
            return link;
        }

        return VisitorProofs.AddTo(link, VisitorProofs.Sign(click.Workspace, click.Contact, time.GetUtcNow(), await guards.SecretAsync(workspace, ct)));
    }

    private static IResult ForgedToken() =>
        Problems.NotFound("This tracking link is not one LeadScore made (or it was altered); nothing was recorded.", "invalid-token");

}

internal sealed record NewSiteBody(string Name, IReadOnlyList<string> Origins, IReadOnlyList<string>? EventTypes = null, SiteIdentifyBody? Identify = null);

/// <summary>What the site's visitors may claim: the traits they may fill (default: name-like and consent) and how an email naming an existing contact is handled.</summary>
internal sealed record SiteIdentifyBody(IReadOnlyList<string>? Traits = null, string? Claims = null);

internal sealed record ClaimsResponse(IReadOnlyList<ClaimResponse> Claims);

internal sealed record ClaimResponse(string Visitor, string Contact, string Email, IReadOnlyList<string> Traits, DateTimeOffset ClaimedAt)
{
    public static ClaimResponse From(VisitorClaim c) => new(c.VisitorId, c.ContactId, c.Email, c.Traits, c.ClaimedAt);
}

internal sealed record ConfirmedClaimResponse(string Visitor, string Contact, bool Merged);

internal sealed record EmailLinkBody(string Contact, string Campaign, string? Url = null);

internal sealed record SiteResponse(string Id, string Key, string Name, IReadOnlyList<string> Origins, IReadOnlyList<string> EventTypes, SiteIdentifyResponse Identify, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static SiteResponse From(SiteKey s) => new(s.Id, s.Key, s.Name, s.Origins, [.. SiteKey.TrackingEventTypes.Concat(s.EventTypes)],
        new SiteIdentifyResponse(s.Trust.Traits, VisitorTrust.NameOf(s.Trust.Claims)), s.CreatedAt, s.RevokedAt);
}

internal sealed record SiteIdentifyResponse(IReadOnlyList<string> Traits, string Claims);
