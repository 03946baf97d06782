using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadScore.Server.Hosting;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Server.Telemetry;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sources;

namespace LeadScore.Server.Features.Sources;

/// <summary>
/// The Segment HTTP Tracking API's own endpoints at the server's root (<c>/v1/identify</c>, <c>track</c>,
/// <c>page</c>, <c>screen</c>, <c>group</c>, <c>alias</c>, <c>batch</c>), so Segment's and RudderStack's
/// SDKs and HTTP sources send here by changing only their host, and the two vendors' webhook
/// destinations (<c>/v1/webhooks/segment</c>, <c>/v1/webhooks/rudderstack</c>). A request is answered
/// 200 <c>{"success": true}</c> only once all it carried is committed (the clients retry 5xx and 429,
/// and a message id counts once); refused messages are named in a 400 while the others are stored.
/// </summary>
internal static class SegmentApi
{
    /// <summary>The header Segment's Webhooks destination signs the body in: hex HMAC-SHA1 with the shared secret.</summary>
    public const string SignatureHeader = "X-Signature";

    public static void MapSegmentApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("segment");
        foreach (var call in Enum.GetValues<SourceCall>())
        {
            var name = call.ToString().ToLowerInvariant();
            v1.MapPost($"/{name}", (HttpContext http, ILeadStore store, ApiKeyCache keys, LeadScoreMetrics metrics, ServerOptions options, CancellationToken ct) =>
                IngestAsync(http, call, SegmentSpec.MaxMessageBytes, store, keys, metrics, options, ct))
                .WithName($"Segment{call}").AddOpenApiOperationTransformer(ApiOperations.Body<SegmentMessageBody>("application/json"))
                .Produces<SegmentSuccess>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
                .WithSummary($"Segment Spec '{name}' (one message); auth: HTTP Basic with a write key as user name, or writeKey in the body");
        }

        v1.MapPost("/batch", (HttpContext http, ILeadStore store, ApiKeyCache keys, LeadScoreMetrics metrics, ServerOptions options, CancellationToken ct) =>
            IngestAsync(http, null, SegmentSpec.MaxBatchBytes, store, keys, metrics, options, ct))
            .WithName("SegmentBatch").AddOpenApiOperationTransformer(ApiOperations.Body<SegmentBatchBody>("application/json"))
            .Produces<SegmentSuccess>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Segment Spec batch {batch: [messages with their type], context, sentAt} as the SDKs send it (gzip too); 500 KB at most, 32 KB per message");

        v1.MapPost("/webhooks/segment", async (HttpContext http, string? source, ILeadStore store, LeadScoreMetrics metrics, ServerOptions options, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(source) || await store.Sources.FindSourceAsync(source, ct) is not { } found)
            {
                return Problems.Unauthorized("Name the source in the URL (?source=src_...); 'leadscore source create' makes one and prints this URL.", "unknown-source");
            }

            var (body, problem) = await SegmentBody.ReadAsync(http.Request, SegmentSpec.MaxBatchBytes, ct);
            if (body is null)
            {
                return problem!;
            }

            if (!SignatureMatches(http.Request.Headers[SignatureHeader].ToString(), body, found.SigningSecret))
            {
                return Problems.Unauthorized($"The {SignatureHeader} header is missing or is not the HMAC-SHA1 of the body with this source's shared secret; set the secret 'leadscore source list' shows in the Webhooks destination.", "bad-signature");
            }

            return await IngestWebhookAsync(body, found.Workspace, store, metrics, options, ct);
        }).WithName("SegmentWebhook").AddOpenApiOperationTransformer(ApiOperations.Body<SegmentMessageBody[]>("application/json"))
          .Produces<SegmentSuccess>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
          .WithSummary("Segment's Webhooks destination: one message or an array, signed with X-Signature (hex HMAC-SHA1 of the body with the source's shared secret); ?source=src_...");

        v1.MapPost("/webhooks/rudderstack", async (HttpContext http, ILeadStore store, ApiKeyCache keys, LeadScoreMetrics metrics, ServerOptions options, CancellationToken ct) =>
        {
            var (body, problem) = await SegmentBody.ReadAsync(http.Request, SegmentSpec.MaxBatchBytes, ct);
            if (body is null)
            {
                return problem!;
            }

            if (await CallerAsync(http, null, keys, ct) is not { } caller)
            {
                return Problems.Unauthorized("Add the header 'Authorization: Bearer <write key>' (a source's write key) in the Webhook destination's settings.", "unauthorized");
            }

            return caller.Problem ?? await IngestWebhookAsync(body, caller.Id!.Value, store, metrics, options, ct);
        }).WithName("RudderStackWebhook").AddOpenApiOperationTransformer(ApiOperations.Body<SegmentMessageBody[]>("application/json"))
          .Produces<SegmentSuccess>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
          .WithSummary("RudderStack's Webhook destination: the message unchanged (or an array), with the source's write key in an Authorization header");
    }

    /// <summary>Whether the hex HMAC-SHA1 of the body with the secret is the signature, compared in constant time.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Segment's Webhooks destination signs with HMAC-SHA1; an HMAC's strength does not rest on SHA-1's collision resistance.")]
    public static bool SignatureMatches(string signature, byte[] body, string secret)
    {
        var expected = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), body);
        var presented = new byte[expected.Length];
        return signature.Length == expected.Length * 2
            && Convert.FromHexString(signature, presented, out _, out var written) == System.Buffers.OperationStatus.Done && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private static async Task<IResult> IngestAsync(
        HttpContext http, SourceCall? call, int maxBytes, ILeadStore store, ApiKeyCache keys, LeadScoreMetrics metrics, ServerOptions options, CancellationToken ct)
    {
        var (body, problem) = await SegmentBody.ReadAsync(http.Request, maxBytes, ct);
        if (body is null)
        {
            return problem!;
        }

        using var parsed = JsonBody.Parse(body);
        if (parsed.Problem is not null)
        {
            return parsed.Problem;
        }

        var root = parsed.Document!.RootElement;
        if (call is not null && root.ValueKind == JsonValueKind.Array)
        {
            return Problems.BadRequest($"/v1/{call.ToString()!.ToLowerInvariant()} takes one message; send several to /v1/batch as {{\"batch\": [...]}}.", "wrong-shape");
        }

        if (await CallerAsync(http, root, keys, ct) is not { } caller)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"LeadScore\"";
            return Problems.Unauthorized("Send a write key: HTTP Basic with the key as user name and an empty password (as the Segment and RudderStack SDKs do), or \"writeKey\" in the body. 'leadscore source create' makes one.", "unauthorized");
        }

        return caller.Problem ?? await IngestParsedAsync(root, call, caller.Id!.Value, asWebhook: false, store, metrics, options, ct);
    }

    /// <summary>What a webhook destination posted: one message or an array of them.</summary>
    private static async Task<IResult> IngestWebhookAsync(byte[] body, WorkspaceId workspace, ILeadStore store, LeadScoreMetrics metrics, ServerOptions options, CancellationToken ct)
    {
        using var parsed = JsonBody.Parse(body);
        return parsed.Problem ?? await IngestParsedAsync(parsed.Document!.RootElement, null, workspace, asWebhook: true, store, metrics, options, ct);
    }

    private static async Task<IResult> IngestParsedAsync(
        JsonElement root, SourceCall? call, WorkspaceId workspace, bool asWebhook, ILeadStore store, LeadScoreMetrics metrics, ServerOptions options, CancellationToken ct)
    {
        var read = SegmentRequest.Read(root, call, asWebhook, options.Time.GetUtcNow());
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var result = read.Messages.Count == 0
            ? new SourceIngestResult(0, 0, 0, [], 0, [])
            : await store.Sources.IngestAsync(workspace, read.Messages, ct);
        var refused = read.Refused.Concat(result.Refused).OrderBy(r => r.Index).ToList();
        metrics.EventsIngested(result.Accepted, result.Duplicates, refused.Count);
        metrics.ScoresChanged(result.Rescored);
        if (refused.Count == 0)
        {
            return TypedResults.Ok(new SegmentSuccess(true));
        }

        var first = refused[0];
        var named = $"message {first.Index}{(first.MessageId is null ? "" : $" ({first.MessageId})")}: {first.Reason}";
        return Problems.BadRequest(
            read.Total == 1
                ? $"The message was refused and nothing was stored: {first.Reason}."
                : $"{refused.Count} of {read.Total} messages were refused and stored nothing; the others were stored. First: {named}.",
            "messages-refused",
            new Dictionary<string, object?>
            {
                ["accepted"] = result.Accepted,
                ["duplicates"] = result.Duplicates,
                ["refused"] = refused.Select(r => new RefusedResponse(r.Index, r.MessageId, r.Reason, r.Path)).ToList(),
            });
    }

    /// <summary>The caller's workspace from its write key (Basic or Bearer, or writeKey in the body); a read-only key is refused.</summary>
    private static async Task<Caller?> CallerAsync(HttpContext http, JsonElement? body, ApiKeyCache keys, CancellationToken ct)
    {
        var scope = http.User.Scope();
        var workspace = scope is null ? (WorkspaceId?)null : http.User.Workspace();
        if (scope is null && body is { } b && SegmentSpec.TextOf(b, "writeKey") is { } writeKey && await keys.FindAsync(writeKey, ct) is { } key)
        {
            (scope, workspace) = (key.Scope, key.Workspace);
        }

        if (scope is null)
        {
            return null;
        }

        return scope == ApiKeyScope.Read
            ? new Caller(null, Problems.Forbidden("This key has the 'read' scope; sending data needs a source's write key ('leadscore source create') or a key of scope 'write'."))
            : new Caller(workspace, null);
    }

    private sealed record Caller(WorkspaceId? Id, IResult? Problem);
}

/// <summary>The answer the Segment clients expect when everything was stored.</summary>
internal sealed record SegmentSuccess(bool Success);

/// <summary>A refused message in a 400's <c>refused</c> list: its position in the request, its id, why, and where.</summary>
internal sealed record RefusedResponse(int Index, string? MessageId, string Reason, string? Path);
