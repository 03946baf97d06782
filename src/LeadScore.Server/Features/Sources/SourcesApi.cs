using System.ComponentModel;
using System.Security.Claims;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sources;
using Microsoft.OpenApi;

namespace LeadScore.Server.Features.Sources;

/// <summary>
/// Sources (their write keys and webhook set-up), the workspace's event mapping (versioned) and the
/// event names the sources sent, under <c>/api/v1/sources</c>.
/// </summary>
internal static class SourcesApi
{
    public static void MapSourcesApi(this RouteGroupBuilder api, ServerOptions options)
    {
        var group = api.MapGroup("/sources").WithTags("sources");
        var read = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Read));
        var admin = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Admin));

        admin.MapPost("/", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var bound = await JsonBody.ReadAsync<NewSourceBody>(request, options.MaxSingleBodyBytes, "{name}", ct);
            if (bound.Value is not { } wanted)
            {
                return bound.Problem!;
            }

            if (string.IsNullOrWhiteSpace(wanted.Name) || wanted.Name.Length > 100)
            {
                return Problems.BadRequest("name: a source's name is 1 to 100 characters, such as \"web\" or \"segment\".", "invalid-source");
            }

            var created = await store.Sources.CreateSourceAsync(user.Workspace(), wanted.Name, ct);
            return TypedResults.Created($"/api/v1/sources/{created.Source.Id}",
                new CreatedSourceResponse(SourceResponse.From(created.Source, PublicAddress.Of(request, options)), created.WriteKey));
        }).Accepts<NewSourceBody>("application/json").WithName("CreateSource").Produces<CreatedSourceResponse>(StatusCodes.Status201Created)
          .WithSummary("Makes a source for Segment or RudderStack: a write key that can only send to /v1/* (shown once), and the webhook URLs and shared secret");

        admin.MapGet("/", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            TypedResults.Ok(new SourcesResponse([.. (await store.Sources.ListSourcesAsync(user.Workspace(), ct)).Select(s => SourceResponse.From(s, PublicAddress.Of(request, options)))])))
            .WithName("ListSources").WithSummary("Lists the sources with their webhook URLs and shared secrets (never the write keys' text)");

        admin.MapDelete("/{id}", async Task<IResult> (string id, ClaimsPrincipal user, ILeadStore store, ApiKeyCache cache, CancellationToken ct) =>
        {
            var source = (await store.Sources.ListSourcesAsync(user.Workspace(), ct)).FirstOrDefault(s => s.Id == id && s.RevokedAt is null);
            if (source is null || !await store.Sources.RevokeSourceAsync(user.Workspace(), id, ct))
            {
                return Problems.NotFound($"There is no active source '{id}' in this workspace.", "unknown-source");
            }

            cache.Forget(source.KeyId);
            return TypedResults.NoContent();
        }).WithName("RevokeSource").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
          .WithSummary("Revokes a source and its write key (at once on this server, within seconds on the others)");

        read.MapGet("/event-names", async (ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            TypedResults.Ok(new EventNamesResponse([.. (await store.Sources.ListEventNamesAsync(user.Workspace(), ct)).Select(EventNameResponse.From)])))
            .WithName("ListSourceEventNames").WithSummary("The event names sources sent, most frequent first, with how many events and the type each becomes");

        read.MapGet("/event-mapping", async (ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var versions = await store.Sources.ListEventMappingsAsync(user.Workspace(), ct);
            return TypedResults.Ok(EventMappingResponse.From(versions.Count > 0 ? versions[0] : null));
        }).WithName("GetEventMapping").WithSummary("The event mapping in force: the workspace's renames and ignores (version 0: none saved), and the built-in Segment Spec names");

        read.MapGet("/event-mapping/versions", async (ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            TypedResults.Ok(new EventMappingVersionsResponse([.. (await store.Sources.ListEventMappingsAsync(user.Workspace(), ct)).Select(v => EventMappingResponse.From(v))])))
            .WithName("ListEventMappings").WithSummary("Every saved version of the event mapping, newest first");

        admin.MapPut("/event-mapping", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var bound = await JsonBody.ReadAsync<EventMappingBody>(request, options.MaxSingleBodyBytes, "{events: {\"Source Event Name\": \"event_type\" or null to ignore}}", ct);
            if (bound.Value is not { } wanted)
            {
                return bound.Problem!;
            }

            var names = wanted.Events ?? new Dictionary<string, string?>();
            if (EventMapping.Check(names) is { Count: > 0 } problems)
            {
                return Problems.BadRequest(string.Join(" ", problems.Select(p => p.EndsWith('.') ? p : p + ".")), "invalid-mapping",
                    new Dictionary<string, object?> { ["problems"] = problems });
            }

            var saved = await store.Sources.SaveEventMappingAsync(user.Workspace(), names, user.KeyId(), ct);
            return TypedResults.Ok(EventMappingResponse.From(saved));
        }).Accepts<EventMappingBody>("application/json").WithName("SaveEventMapping").Produces<EventMappingResponse>()
          .WithSummary("Saves a new version of the event mapping (the whole of it); what arrives next is mapped by it, stored events keep their types");
    }

}

internal sealed record NewSourceBody(string Name);

internal sealed record SourcesResponse(IReadOnlyList<SourceResponse> Sources);

/// <summary>A source: its write key's id, and what its webhook destinations need (URLs, the shared secret Segment signs with).</summary>
internal sealed record SourceResponse(string Id, string Name, string KeyId, string HttpApiUrl, string SegmentWebhookUrl, string RudderStackWebhookUrl, string SharedSecret, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static SourceResponse From(Source s, string baseUrl) => new(
        s.Id, s.Name, s.KeyId, baseUrl, $"{baseUrl}/v1/webhooks/segment?source={s.Id}", $"{baseUrl}/v1/webhooks/rudderstack", s.SigningSecret, s.CreatedAt, s.RevokedAt);
}

/// <summary>A new source and its write key, shown this once.</summary>
internal sealed record CreatedSourceResponse(SourceResponse Source, string WriteKey);

internal sealed record EventNamesResponse(IReadOnlyList<EventNameResponse> Names);

/// <summary>An event name a source sent: how many events, when last, the type it becomes (null: ignored) and why (default, built-in, workspace, ignored).</summary>
internal sealed record EventNameResponse(string Name, long Count, DateTimeOffset LastSeenAt, string? Type, string MappedBy)
{
    public static EventNameResponse From(SeenEventName n) =>
        new(n.Mapped.Name, n.Count, n.LastSeenAt, n.Mapped.Type, NameOf(n.Mapped.Source));

    public static string NameOf(EventMappingSource source) => source switch
    {
        EventMappingSource.BuiltIn => "built-in",
        _ => source.ToString().ToLowerInvariant(),
    };
}

internal sealed record EventMappingBody([property: DocumentedAs(typeof(IReadOnlyDictionary<string, MappedTypeScalar>))] IReadOnlyDictionary<string, string?>? Events);

/// <summary>For the OpenAPI document only: what a name of the mapping becomes.</summary>
[JsonKinds(JsonSchemaType.String | JsonSchemaType.Null)]
[Description("The event type the name becomes (lowercase letters, digits and '_'), or null: events of that name are acknowledged and not stored")]
internal sealed record MappedTypeScalar;

/// <summary>A version of the mapping: the workspace's own names (type, or null to ignore), when and by which key it was saved, and the built-in names under it.</summary>
internal sealed record EventMappingResponse(int Version, [property: DocumentedAs(typeof(IReadOnlyDictionary<string, MappedTypeScalar>))] IReadOnlyDictionary<string, string?> Events, DateTimeOffset? SavedAt, string? SavedBy, IReadOnlyDictionary<string, string> BuiltIn)
{
    public static EventMappingResponse From(EventMappingVersion? version) => new(
        version?.Mapping.Version ?? 0, version?.Mapping.Names ?? EventMapping.None.Names, version?.SavedAt, version?.SavedBy, EventMapping.BuiltIn);
}

internal sealed record EventMappingVersionsResponse(IReadOnlyList<EventMappingResponse> Versions);
