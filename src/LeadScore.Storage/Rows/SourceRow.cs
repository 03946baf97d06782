using LeadScore.Engine.Values;

namespace LeadScore.Storage.Rows;

/// <summary>
/// One record as it arrives, before it means anything: a row of a CSV or JSON Lines file (with the
/// line it started on) or an item of an API batch (with its 1-based position). <see cref="Error"/>
/// says why the row could not even be read.
/// </summary>
public sealed record SourceRow(int Line, IReadOnlyList<SourceCell> Cells, string? Error = null)
{
    /// <summary>The JSON path of the value at fault, when the row came as JSON and one value is.</summary>
    public string? ErrorPath { get; init; }

    public SourceCell? Find(string name) => Cells.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A named value of a row; <see cref="Nested"/> holds an object value (an event's properties).
/// <see cref="Column"/> is the 1-based CSV column, so a message can point at the cell; 0 in JSON.
/// </summary>
public sealed record SourceCell(string Name, FieldValue Value, IReadOnlyDictionary<string, FieldValue>? Nested = null, int Column = 0);
