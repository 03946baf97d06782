namespace LeadScore.Prediction.Csv;

/// <summary>A CSV file read, or why it could not be: a malformed file is an expected outcome, not a bug.</summary>
public sealed record CsvReadResult
{
    private CsvReadResult(CsvTable? table, string? error)
    {
        Table = table;
        Error = error;
    }

    public CsvTable? Table { get; }

    public string? Error { get; }

    public static CsvReadResult Read(CsvTable table) => new(table, null);

    public static CsvReadResult Failed(string error) => new(null, error);
}
