using LeadScore.Engine.Model;
using LeadScore.Server.Http;
using LeadScore.Storage;
using LeadScore.Storage.Records;

namespace LeadScore.Server.Features.Models;

/// <summary>The published models of a workspace, and the one a request means when it names none.</summary>
internal static class PublishedModels
{
    /// <summary>The published models, of one target kind when <paramref name="kind"/> is given.</summary>
    public static async Task<IReadOnlyList<ModelVersion>> ListAsync(ILeadStore store, WorkspaceId workspace, RecordKind? kind, CancellationToken ct) =>
        [.. (await store.Models.GetModelVersionsAsync(workspace, null, ct)).Where(m => m.Status == ModelStatus.Published && (kind is null || m.Target == kind))];

    /// <summary>
    /// The model key a request asked for, or, when it named none, the only published model (of
    /// <paramref name="kind"/>); a 400 that lists the choices when there is not exactly one.
    /// </summary>
    /// <param name="purpose">What the model is for, for the message ("ranks the leads").</param>
    public static async Task<(string? Key, IResult? Problem)> ResolveAsync(
        ILeadStore store, WorkspaceId workspace, string? model, RecordKind? kind, string purpose, CancellationToken ct)
    {
        if (model is not null)
        {
            return (model, null);
        }

        var published = await ListAsync(store, workspace, kind, ct);
        return published.Count == 1
            ? (published[0].Key, null)
            : (null, Problems.BadRequest(
                published.Count == 0
                    ? $"No published model {purpose} in this workspace; publish one first."
                    : $"Say which model {purpose} with ?model=KEY: {string.Join(", ", published.Select(m => m.Key))}.",
                "model-needed"));
    }
}
