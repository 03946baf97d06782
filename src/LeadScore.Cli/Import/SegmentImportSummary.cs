namespace LeadScore.Cli.Import;

/// <summary>
/// The totals of a Segment archive's import: messages read, and what the store did with them
/// (accepted, duplicates of messages it had, ignored by the event mapping) or why it refused them.
/// </summary>
internal sealed record SegmentImportSummary(int Read, int Accepted, int Duplicates, int Ignored, int Refused, int CreatedContacts)
{
    public override string ToString()
    {
        var created = CreatedContacts > 0 ? $" (created {CreatedContacts} contacts)" : string.Empty;
        return $"imported {Accepted} messages, {Duplicates} duplicates, {Ignored} ignored, {Refused} refused{created}";
    }
}
