namespace LeadScore.Storage.Rows;

/// <summary>
/// A row turned into what it describes, or the reason it cannot be, with the CSV column at fault
/// (0 when the problem is the row as a whole or it came as JSON).
/// </summary>
public sealed class RowReading<T>
    where T : class
{
    private RowReading(T? item, string? problem, int column)
    {
        Item = item;
        Problem = problem;
        Column = column;
    }

    public T? Item { get; }

    public string? Problem { get; }

    public int Column { get; }

    public static RowReading<T> Of(T item) => new(item, null, 0);

    public static RowReading<T> Rejected(string problem, int column = 0) => new(null, problem, column);
}
