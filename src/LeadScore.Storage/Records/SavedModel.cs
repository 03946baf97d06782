using LeadScore.Engine.Parsing;

namespace LeadScore.Storage.Records;

/// <summary>The outcome of saving a model: its validation, and the new draft version when it had no errors.</summary>
public sealed record SavedModel(ModelValidation Validation, ModelVersion? Version);
