namespace LeadScore.Cli.Generation;

/// <summary>How much a run generated, and the files it wrote.</summary>
internal sealed record GenerationSummary(
    long Companies, long Contacts, long Deals, long Events, long Outcomes, long Converted, IReadOnlyList<string> Files)
{
    public override string ToString() =>
        $"generated {Companies:N0} companies, {Contacts:N0} contacts ({Converted:N0} converted), {Deals:N0} deals, "
        + $"{Events:N0} events and {Outcomes:N0} outcomes";
}
