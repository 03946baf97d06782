namespace LeadScore.Storage.Tests.Fixtures;

/// <summary>A SQLite database file of one test in a temporary folder, removed with its journal files afterwards.</summary>
public sealed class SqliteFile : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("leadscore-sqlite-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "leadscore.db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
