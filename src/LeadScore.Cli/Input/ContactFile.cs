using LeadScore.Storage.Rows;

namespace LeadScore.Cli.Input;

/// <summary>
/// Reads contacts for offline scoring: an <c>id</c>, a <c>companyId</c> link, and every other key or
/// column as a field (the same rules as <c>import contacts</c>, so offline and stored scores agree).
/// </summary>
internal static class ContactFile
{
    public static RowReading<RecordRow> ReadRow(SourceRow row) => RecordRow.Read(row, "contact", InputRows.CompanyLink);

    public static List<ContactRecord> Read(string path, List<InputError> errors)
    {
        var contacts = new List<ContactRecord>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var name = Path.GetFileName(path);
        foreach (var (line, contact, error) in SourceFile.ReadItems(path, ReadRow))
        {
            if (error is not null)
            {
                errors.Add(error);
                continue;
            }

            if (seen.TryGetValue(contact!.Id, out var firstLine))
            {
                errors.Add(new InputError(name, line, $"contact '{contact.Id}' appears twice (first on line {firstLine})"));
                continue;
            }

            seen[contact.Id] = line;
            contacts.Add(new ContactRecord(contact.Id, contact.Fields));
        }

        return contacts;
    }
}
