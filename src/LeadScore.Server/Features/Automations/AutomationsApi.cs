using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadScore.Engine.Automations;
using LeadScore.Engine.Parsing;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Server.Webhooks;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Automations;

/// <summary>
/// Automations (trigger, conditions, actions), the log of their runs, and their webhook deliveries
/// with the dead letters and replay. Changing automations needs an admin key: they send the
/// workspace's data out of it.
/// </summary>
internal static class AutomationsApi
{
    public static void MapAutomationsApi(this RouteGroupBuilder api, ServerOptions options)
    {
        var group = api.MapGroup("").WithTags("automations");
        var read = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Read));
        var write = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Write));
        var admin = group.MapGroup("").AddEndpointFilter(new RequireScope(ApiKeyScope.Admin));

        admin.MapPost("/automations", (HttpRequest request, ClaimsPrincipal user, ILeadStore store, WebhookTargetPolicy policy, CancellationToken ct) =>
            SaveAsync(null, request, user, store, policy, options, ct))
            .Accepts<AutomationDocument>("application/json").WithName("CreateAutomation")
            .Produces<SavedAutomationResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Creates an automation (docs/automations.md); the response holds its webhook secret. \"applyToExisting\": true runs it once for the leads that already match");

        admin.MapPut("/automations/{id}", (string id, HttpRequest request, ClaimsPrincipal user, ILeadStore store, WebhookTargetPolicy policy, CancellationToken ct) =>
            SaveAsync(id, request, user, store, policy, options, ct))
            .Accepts<AutomationDocument>("application/json").WithName("ReplaceAutomation")
            .Produces<SavedAutomationResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Replaces an automation's definition; its id and webhook secret stay");

        read.MapGet("/automations", async (ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            TypedResults.Ok(new AutomationsResponse([.. (await store.Automations.ListAutomationsAsync(user.Workspace(), ct)).Select(AutomationResponse.From)])))
            .WithName("ListAutomations").WithSummary("Lists the workspace's automations");

        read.MapGet("/automations/{id}", async (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Automations.GetAutomationAsync(user.Workspace(), id, ct) is { } automation
                ? TypedResults.Ok(AutomationResponse.From(automation))
                : UnknownAutomation(id))
            .WithName("GetAutomation").Produces<AutomationResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Gets one automation with its definition");

        admin.MapGet("/automations/{id}/secret", async (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Automations.GetAutomationAsync(user.Workspace(), id, ct) is { } automation
                ? TypedResults.Ok(new AutomationSecretResponse(automation.Secret))
                : UnknownAutomation(id))
            .WithName("GetAutomationSecret").Produces<AutomationSecretResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("The secret its webhooks are signed with (admin keys only)");

        admin.MapDelete("/automations/{id}", async (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Automations.DeleteAutomationAsync(user.Workspace(), id, ct) ? TypedResults.NoContent() : UnknownAutomation(id))
            .WithName("DeleteAutomation").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Deletes an automation: it stops firing and its unsent webhooks are cancelled; its logs stay");

        read.MapGet("/automations/{id}/runs", async (string id, string? cursor, int? limit, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Automations.GetAutomationAsync(user.Workspace(), id, ct) is null
                ? UnknownAutomation(id)
                : RunsPage(await store.Automations.ListAutomationRunsAsync(user.Workspace(), id, null, cursor, limit ?? 100, ct)))
            .WithName("ListAutomationRuns").Produces<PageResponse<AutomationRun>>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("When the automation ran, for whom, and what its actions did; newest first");

        read.MapGet("/contacts/{id}/automation-runs", async (string id, string? cursor, int? limit, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            RunsPage(await store.Automations.ListAutomationRunsAsync(user.Workspace(), null, id, cursor, limit ?? 100, ct)))
            .WithName("ListContactAutomationRuns").Produces<PageResponse<AutomationRun>>().WithSummary("The automations that ran for a contact; newest first");

        read.MapGet("/deliveries", async Task<IResult> (string? automation, string? contact, string? state, string? cursor, int? limit, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
        {
            DeliveryState? wanted = null;
            if (state is not null)
            {
                if (!Enum.TryParse<DeliveryState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
                {
                    return Problems.BadRequest($"state '{state}' is not one of pending, delivered, dead, cancelled.", "invalid-state");
                }

                wanted = parsed;
            }

            var page = await store.Deliveries.ListDeliveriesAsync(user.Workspace(), new DeliveryQuery
            {
                AutomationId = automation,
                ContactId = contact,
                State = wanted,
                Cursor = cursor,
                Limit = limit ?? 100,
            }, ct);
            return page.Succeeded
                ? TypedResults.Ok(new PageResponse<DeliveryResponse>([.. page.Value.Items.Select(DeliveryResponse.From)], page.Value.NextCursor))
                : Problems.From(page.Error);
        }).WithName("ListDeliveries").Produces<PageResponse<DeliveryResponse>>().WithSummary("Webhook deliveries, newest first: ?automation=ID&contact=ID&state=pending|delivered|dead|cancelled (dead letters: state=dead)");

        read.MapGet("/deliveries/{id}", async (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Deliveries.GetDeliveryAsync(user.Workspace(), id, ct) is { } delivery
                ? TypedResults.Ok(DeliveryResponse.From(delivery))
                : UnknownDelivery(id))
            .WithName("GetDelivery").Produces<DeliveryResponse>().ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One delivery with its payload and every attempt");

        write.MapPost("/deliveries/{id}/replay", async (string id, ClaimsPrincipal user, ILeadStore store, CancellationToken ct) =>
            await store.Deliveries.ReplayDeliveryAsync(user.Workspace(), id, ct) is { } delivery
                ? TypedResults.Accepted($"/api/v1/deliveries/{id}", DeliveryResponse.From(delivery))
                : UnknownDelivery(id))
            .WithName("ReplayDelivery").Produces<DeliveryResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Sends a delivery again (a dead letter, or one the receiver lost) with the same delivery id and a fresh 24-hour retry window");
    }

    private static async Task<IResult> SaveAsync(
        string? id, HttpRequest request, ClaimsPrincipal user, ILeadStore store, WebhookTargetPolicy policy, ServerOptions options, CancellationToken ct)
    {
        using var body = await JsonBody.ReadAsync(request, options.MaxSingleBodyBytes, ct);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var root = body.Document!.RootElement;
        var applyToExisting = false;
        var json = root.GetRawText();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("applyToExisting", out var apply))
        {
            if (apply.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Invalid([new ModelDiagnostic("$.applyToExisting", DiagnosticCodes.WrongType, "applyToExisting is true or false.")]);
            }

            // A request option, not part of the automation: it is not stored with the definition.
            applyToExisting = apply.GetBoolean();
            var definition = JsonNode.Parse(json)!.AsObject();
            definition.Remove("applyToExisting");
            json = definition.ToJsonString();
        }

        var validation = AutomationJson.Parse(json);
        if (validation.Definition is { } parsed && policy.CheckWebhooks(parsed) is { Count: > 0 } refused)
        {
            return Invalid(refused);
        }

        var saved = await store.Automations.SaveAutomationAsync(user.Workspace(), id, json, applyToExisting, ct);
        if (!saved.Succeeded)
        {
            return Problems.From(saved.Error);
        }

        if (saved.Value.Automation is not { } automation)
        {
            return Invalid(saved.Value.Errors);
        }

        var response = new SavedAutomationResponse(AutomationResponse.From(automation), automation.Secret, saved.Value.AppliedToExisting);
        return id is null ? TypedResults.Created($"/api/v1/automations/{automation.Id}", response) : TypedResults.Ok(response);
    }

    private static IResult RunsPage(StoreResult<Page<AutomationRun>> page) => page.Succeeded
        ? TypedResults.Ok(new PageResponse<AutomationRun>(page.Value.Items, page.Value.NextCursor))
        : Problems.From(page.Error);

    private static IResult Invalid(IReadOnlyList<ModelDiagnostic> errors) => Problems.Unprocessable(
        $"The automation has {errors.Count} error(s); the first: {errors[0]}. Nothing was saved.",
        "invalid-automation",
        new Dictionary<string, object?> { ["errors"] = errors });

    private static IResult UnknownAutomation(string id) =>
        Problems.NotFound($"There is no automation '{id}' in this workspace; GET /api/v1/automations lists them.", "unknown-automation");

    private static IResult UnknownDelivery(string id) =>
        Problems.NotFound($"There is no delivery '{id}' in this workspace; GET /api/v1/deliveries lists them.", "unknown-delivery");
}

internal sealed record AutomationResponse(
    string Id, string Name, string? Model, string Trigger, bool Enabled, [property: DocumentedAs(typeof(AutomationDocument))] JsonElement Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AutomationResponse From(Automation a) =>
        new(a.Id, a.Name, a.ModelKey, a.TriggerType, a.Enabled, JsonSerializer.Deserialize<JsonElement>(a.Definition), a.CreatedAt, a.UpdatedAt);
}

internal sealed record DeliveryResponse(
    string Id,
    string AutomationId,
    string ContactId,
    string Url,
    DeliveryState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatus,
    string? LastError,
    [property: DocumentedAs(typeof(WebhookPayload))] JsonElement Payload,
    IReadOnlyList<AttemptResponse>? Log)
{
    public static DeliveryResponse From(Delivery d) => new(
        d.Id, d.AutomationId, d.ContactId, d.Url.ToString(), d.State, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.DeliveredAt, d.LastStatus, d.LastError,
        JsonSerializer.Deserialize<JsonElement>(d.Payload),
        d.AttemptLog.IsDefaultOrEmpty ? null : [.. d.AttemptLog.Select(a => new AttemptResponse(a.Number, a.At, a.Status, a.Error, (int)a.Duration.TotalMilliseconds))]);
}

internal sealed record AttemptResponse(int Number, DateTimeOffset At, int? Status, string? Error, int DurationMs);
