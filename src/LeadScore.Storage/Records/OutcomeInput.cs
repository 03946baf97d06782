using LeadScore.Engine.Model;

namespace LeadScore.Storage.Records;

/// <summary>What really happened to a lead: a contact converted, or a deal was won or lost (with its amount).</summary>
public sealed record OutcomeInput(RecordKind Kind, string RecordId, OutcomeKind Outcome, DateTimeOffset OccurredAt, decimal? Amount = null);
