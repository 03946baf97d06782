using System.Text;

namespace LeadScore.Cli.Output;

/// <summary>
/// Where an export writes: standard output, or a file that is written as a partial file beside it and
/// replaces it only on <see cref="Commit"/>, so the target is always either the old file or the complete
/// new one, never a file cut short by an error or Ctrl+C.
/// </summary>
internal sealed class CompleteFile : IDisposable
{
    private readonly string? _partialPath;
    private readonly string? _targetPath;
    private bool _committed;

    private CompleteFile(TextWriter writer, string? partialPath, string? targetPath)
    {
        Writer = writer;
        _partialPath = partialPath;
        _targetPath = targetPath;
    }

    public TextWriter Writer { get; }

    /// <param name="outFile">The file to write, or null for <paramref name="standardOutput"/>.</param>
    /// <param name="standardOutput">Where lines go without a file.</param>
    public static CompleteFile Open(FileInfo? outFile, TextWriter standardOutput)
    {
        if (outFile is null)
        {
            return new CompleteFile(standardOutput, null, null);
        }

        var partial = outFile.FullName + ".partial";
        return new CompleteFile(new StreamWriter(partial, append: false, new UTF8Encoding(false)), partial, outFile.FullName);
    }

    /// <summary>Puts a written file in place; without it, disposing leaves the target untouched.</summary>
    public void Commit()
    {
        if (_targetPath is null)
        {
            return;
        }

        Writer.Dispose();
        File.Move(_partialPath!, _targetPath, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_partialPath is not null && !_committed)
        {
            Writer.Dispose();
            File.Delete(_partialPath);
        }
    }
}
