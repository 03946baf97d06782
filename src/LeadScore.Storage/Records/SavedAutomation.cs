using System.Collections.Immutable;
using LeadScore.Engine.Parsing;

namespace LeadScore.Storage.Records;

/// <summary>
/// The outcome of saving an automation: the stored automation, or the problems (with JSON paths)
/// that kept it from being saved; and, with apply-to-existing, how many leads it ran for at once.
/// </summary>
public sealed record SavedAutomation(Automation? Automation, ImmutableArray<ModelDiagnostic> Errors, int AppliedToExisting)
{
    public bool Saved => Automation is not null;
}
