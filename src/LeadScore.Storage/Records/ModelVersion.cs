using LeadScore.Engine.Model;

namespace LeadScore.Storage.Records;

/// <summary>One saved version of a scoring model. Versions are never overwritten: a change is a new version.</summary>
public sealed record ModelVersion(
    string Key,
    int Version,
    ModelStatus Status,
    RecordKind Target,
    string Definition,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt);
