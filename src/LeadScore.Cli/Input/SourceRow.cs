using LeadScore.Engine.Values;

namespace LeadScore.Cli.Input;

/// <summary>One record of a CSV or JSON Lines file, with the line it started on.</summary>
internal sealed record SourceRow(int Line, IReadOnlyList<SourceCell> Cells, string? Error = null)
{
    public SourceCell? Find(string name) => Cells.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A named value of a row; <see cref="Nested"/> holds an object value (an event's properties).
/// <see cref="Column"/> is the 1-based CSV column, so a message can point at the cell; 0 in JSON Lines.
/// </summary>
internal sealed record SourceCell(string Name, FieldValue Value, IReadOnlyDictionary<string, FieldValue>? Nested = null, int Column = 0);
