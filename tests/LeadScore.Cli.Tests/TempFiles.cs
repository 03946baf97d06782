namespace LeadScore.Cli.Tests;

/// <summary>A temporary folder for a test's input and output files, removed afterwards.</summary>
internal sealed class TempFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("leadscore-cli-").FullName;

    public string Write(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>A SQLite database file of this test's own, for <c>--db</c>; created by the first command that opens it.</summary>
    public string Database => PathOf("leadscore.db");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
