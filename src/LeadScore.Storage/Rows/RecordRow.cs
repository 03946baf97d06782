using LeadScore.Engine.Values;

namespace LeadScore.Storage.Rows;

/// <summary>
/// A contact, company or deal as a row holds it: an <c>id</c>, the ids it links to (such as
/// <c>companyId</c>), and every other key or column as a field. Links are not fields.
/// </summary>
public sealed record RecordRow(string Id, IReadOnlyDictionary<string, string> Links, IReadOnlyDictionary<string, FieldValue> Fields)
{
    public string? Link(string name) => Links.GetValueOrDefault(name);

    /// <param name="row">The row to read.</param>
    /// <param name="noun">What the row is ("contact"), for messages.</param>
    /// <param name="links">The columns that name other records rather than hold fields.</param>
    public static RowReading<RecordRow> Read(SourceRow row, string noun, params string[] links)
    {
        var id = row.Find("id");
        if (id is not { Value.IsMissing: false })
        {
            return RowReading<RecordRow>.Rejected($"no 'id': every {noun} needs one", id?.Column ?? 0);
        }

        var linked = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var fields = new Dictionary<string, FieldValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var cell in row.Cells)
        {
            if (cell.Nested is not null)
            {
                return RowReading<RecordRow>.Rejected($"'{cell.Name}' is an object; a field holds one value", cell.Column);
            }

            if (string.Equals(cell.Name, "id", StringComparison.OrdinalIgnoreCase) || cell.Value.IsMissing)
            {
                continue;
            }

            var link = Array.Find(links, l => string.Equals(l, cell.Name, StringComparison.OrdinalIgnoreCase));
            if (link is not null)
            {
                linked[link] = cell.Value.Text;
            }
            else
            {
                fields[cell.Name] = cell.Value;
            }
        }

        return RowReading<RecordRow>.Of(new RecordRow(id.Value.Text, linked, fields));
    }
}
