using LeadScore.Engine.Values;

namespace LeadScore.Cli.Input;

/// <summary>A contact read from a file: its id and its fields (standard and custom alike).</summary>
internal sealed record ContactRecord(string Id, IReadOnlyDictionary<string, FieldValue> Fields);
