using System.Collections.Concurrent;
using System.Data.Common;
using LeadScore.Engine.Compilation;
using LeadScore.Engine.Model;
using LeadScore.Engine.Parsing;
using LeadScore.Storage.Records;
using LeadScore.Storage.Sql;

namespace LeadScore.Storage.Scoring;

/// <summary>A published model version, compiled and ready to score records of its target.</summary>
internal sealed record PublishedModel(string Key, int Version, RecordKind Target, CompiledModel Compiled)
{
    public string VersionName => $"{Key}@v{Version}";
}

/// <summary>
/// Model versions in the database and their compiled forms. A version's definition never changes
/// once saved, so a compiled version is cached for the life of the process under (workspace, key,
/// version); which versions are published is read from the database in every transaction, so
/// several processes agree on it.
/// </summary>
internal sealed class ModelCatalog
{
    private readonly ConcurrentDictionary<(string Workspace, string Key, int Version), CompiledModel> _compiled = new();

    public async Task<IReadOnlyList<PublishedModel>> PublishedAsync(DbConnection connection, DbTransaction? transaction, WorkspaceId workspace, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT model_key, version, target, definition FROM models WHERE workspace_id = @workspace AND status = 'published' ORDER BY model_key";
        command.With("@workspace", workspace.Value);
        var published = new List<PublishedModel>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = reader.GetString(0);
            var version = reader.GetInt32(1);
            var definition = reader.GetString(3);
            var compiled = _compiled.GetOrAdd((workspace.Value, key, version), _ => Compile(definition));
            published.Add(new PublishedModel(key, version, Names.Target(reader.GetString(2))!.Value, compiled));
        }

        return published;
    }

    /// <summary>
    /// Drops the compiled versions of an archived key. Only memory: what scores is decided by the
    /// status read in each transaction, so other processes stop scoring with it at once too.
    /// </summary>
    public void Forget(WorkspaceId workspace, string key)
    {
        foreach (var entry in _compiled.Keys.Where(k => k.Workspace == workspace.Value && k.Key == key))
        {
            _compiled.TryRemove(entry, out _);
        }
    }

    public static ModelVersion ReadVersion(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt32(1),
        Names.ModelStatus(reader.GetString(2)),
        Names.Target(reader.GetString(3))!.Value,
        reader.GetString(4),
        Micros.ToInstant(reader.GetInt64(5)),
        reader.NullableInt64(6) is { } published ? Micros.ToInstant(published) : null);

    public const string VersionColumns = "model_key, version, status, target, definition, created_at_us, published_at_us";

    private static CompiledModel Compile(string definition)
    {
        var validation = ScoringModelJson.Parse(definition);
        if (!validation.IsValid)
        {
            // Only valid models are saved; a stored definition that no longer validates is a bug or a hand edit.
            throw new InvalidDataException($"A stored model no longer validates: {string.Join("; ", validation.Errors)}");
        }

        return CompiledModel.Compile(validation.Model);
    }
}
