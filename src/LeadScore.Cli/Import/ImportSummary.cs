namespace LeadScore.Cli.Import;

/// <summary>The totals of an import, printed at its end.</summary>
internal sealed record ImportSummary(string Noun, int Imported, int Unchanged, int Rejected, int CreatedContacts)
{
    public override string ToString()
    {
        var created = CreatedContacts > 0 ? $" (created {CreatedContacts} contacts)" : string.Empty;
        return $"imported {Imported} {Noun}, {Unchanged} unchanged, {Rejected} rejected{created}";
    }
}
