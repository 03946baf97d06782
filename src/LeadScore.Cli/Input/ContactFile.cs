using LeadScore.Engine.Values;

namespace LeadScore.Cli.Input;

/// <summary>Reads contacts: an <c>id</c>, and every other key or column as a field.</summary>
internal static class ContactFile
{
    public static List<ContactRecord> Read(string path, List<InputError> errors)
    {
        var contacts = new List<ContactRecord>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var name = Path.GetFileName(path);
        foreach (var row in SourceFile.ReadRows(path))
        {
            if (row.Error is not null)
            {
                errors.Add(new InputError(name, row.Line, row.Error));
                continue;
            }

            var id = row.Find("id")?.Value;
            if (id is not { IsMissing: false } idValue)
            {
                errors.Add(new InputError(name, row.Line, "no 'id': every contact needs one"));
                continue;
            }

            if (seen.TryGetValue(idValue.Text, out var firstLine))
            {
                errors.Add(new InputError(name, row.Line, $"contact '{idValue.Text}' appears twice (first on line {firstLine})"));
                continue;
            }

            var fields = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
            string? problem = null;
            foreach (var cell in row.Cells)
            {
                if (cell.Nested is not null)
                {
                    problem = $"'{cell.Name}' is an object; a field holds one value";
                    break;
                }

                if (!string.Equals(cell.Name, "id", StringComparison.OrdinalIgnoreCase) && !cell.Value.IsMissing)
                {
                    fields[cell.Name] = cell.Value;
                }
            }

            if (problem is not null)
            {
                errors.Add(new InputError(name, row.Line, problem));
                continue;
            }

            seen[idValue.Text] = row.Line;
            contacts.Add(new ContactRecord(idValue.Text, fields));
        }

        return contacts;
    }
}
