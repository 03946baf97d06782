using System.Collections.Concurrent;
using System.Text.Json;
using LeadScore.Engine.Automations;
using LeadScore.Storage.Scoring;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Automations;

/// <summary>An enabled automation as a write transaction sees it; <see cref="TriggerJson"/> is the trigger as its author wrote it, for webhook payloads.</summary>
internal sealed record ActiveAutomation(string Id, string Name, AutomationDefinition Definition, string TriggerJson, string Secret);

/// <summary>
/// The enabled automations of a workspace, read in every write transaction (so every process on
/// the database acts on the same set at once) and parsed once per saved version.
/// </summary>
internal sealed class AutomationCatalog
{
    private readonly ConcurrentDictionary<(string Workspace, string Id, long UpdatedAtUs), (AutomationDefinition Definition, string TriggerJson)> _parsed = new();

    public async Task<IReadOnlyList<ActiveAutomation>> ActiveAsync(WriteSession session, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        await using var command = session.Command("""
            SELECT id, name, definition, secret, updated_at_us FROM automations
            WHERE workspace_id = @workspace AND enabled = 1 AND deleted_at_us IS NULL ORDER BY created_at_us, id
            """).With("@workspace", workspace.Value);
        var active = new List<ActiveAutomation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            var json = reader.GetString(2);
            var (definition, trigger) = _parsed.GetOrAdd((workspace.Value, id, reader.GetInt64(4)), _ => Parse(json));
            active.Add(new ActiveAutomation(id, reader.GetString(1), definition, trigger, reader.GetString(3)));
        }

        return active;
    }

    private static (AutomationDefinition, string) Parse(string json)
    {
        var validation = AutomationJson.Parse(json);
        // Only valid automations are saved; one that no longer reads is a bug or a hand edit.
        var definition = validation.Definition ?? throw new InvalidDataException($"A stored automation no longer validates: {string.Join("; ", validation.Errors)}");
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        // Re-serialised, not the raw text: a file saved through the CLI may carry comments, which a payload must not.
        return (definition, JsonSerializer.Serialize(document.RootElement.GetProperty("trigger")));
    }
}
