using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using LeadScore.Engine.Model;

namespace LeadScore.Engine.Parsing;

/// <summary>The outcome of reading a model: the model when it has no error, and every error and warning found.</summary>
public sealed class ModelValidation
{
    internal ModelValidation(ScoringModel? model, ImmutableArray<ModelDiagnostic> errors, ImmutableArray<ModelDiagnostic> warnings)
    {
        Model = errors.IsEmpty ? model : null;
        Errors = errors;
        Warnings = warnings;
    }

    /// <summary>The model, or null when there is any error.</summary>
    public ScoringModel? Model { get; }

    public ImmutableArray<ModelDiagnostic> Errors { get; }

    public ImmutableArray<ModelDiagnostic> Warnings { get; }

    [MemberNotNullWhen(true, nameof(Model))]
    public bool IsValid => Model is not null;
}
