using System.Security.Claims;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Keys;

/// <summary>The workspace's API keys: list, create (the text is shown once), revoke. Admin keys only.</summary>
internal static class KeysApi
{
    public static void MapKeysApi(this RouteGroupBuilder api, ServerOptions options)
    {
        var admin = api.MapGroup("/keys").WithTags("keys").AddEndpointFilter(new RequireScope(ApiKeyScope.Admin));

        admin.MapGet("/", async (ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            TypedResults.Ok(new KeysResponse([.. (await store.Keys.ListApiKeysAsync(user.Workspace(), ct)).Select(KeyResponse.From)])))
            .WithName("ListKeys").WithSummary("Lists the workspace's keys (never their text)");

        admin.MapPost("/", async (HttpRequest request, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            var bound = await JsonBody.ReadAsync<NewKeyBody>(request, options.MaxSingleBodyBytes, "{scope: read|write|admin, name (optional)}", ct);
            if (bound.Value is not { } wanted)
            {
                return bound.Problem!;
            }

            var created = await store.Keys.CreateApiKeyAsync(user.Workspace(), wanted.Scope, wanted.Name, ct);
            return TypedResults.Created($"/api/v1/keys/{created.Key.Id}", new CreatedKeyResponse(KeyResponse.From(created.Key), created.Secret));
        }).Accepts<NewKeyBody>("application/json").WithName("CreateKey").Produces<CreatedKeyResponse>(StatusCodes.Status201Created).WithSummary("Creates a key; the response holds its text (secret), which is never shown again");

        admin.MapDelete("/{id}", async Task<IResult> (string id, ClaimsPrincipal user, ILeadStore store, ApiKeyCache cache, DashboardSessionCache sessions, CancellationToken ct) =>
        {
            if (!await store.Keys.RevokeApiKeyAsync(user.Workspace(), id, ct))
            {
                return Problems.NotFound($"There is no key '{id}' in this workspace.", "unknown-key");
            }

            cache.Forget(id);
            sessions.ForgetKey(id);
            return TypedResults.NoContent();
        }).WithName("RevokeKey").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Revokes a key, and the dashboard sessions signed in with it, at once on this server (within seconds on the others)");
    }
}

internal sealed record NewKeyBody(ApiKeyScope Scope, string? Name = null);

internal sealed record KeysResponse(IReadOnlyList<KeyResponse> Keys);

/// <summary>A new key and its text, which is shown this once.</summary>
internal sealed record CreatedKeyResponse(KeyResponse Key, string Secret);

internal sealed record KeyResponse(string Id, string Name, ApiKeyScope Scope, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeyResponse From(ApiKey key) => new(key.Id, key.Name, key.Scope, key.CreatedAt, key.RevokedAt);
}
