using LeadScore.Cli.Input;
using LeadScore.Cli.Output;
using LeadScore.Storage;

namespace LeadScore.Cli.Import;

/// <summary>
/// Reads a file row by row and writes its valid rows in batches, each batch one transaction of the
/// store, so an interrupted import leaves whole batches behind and running it again finishes the job
/// (the store skips what it already has). Every rejected row is reported with its line as it is met.
/// </summary>
internal sealed class Importer<T>(ImportKind<T> kind, ILeadStore store, WorkspaceId workspace, ColumnMap map)
    where T : class
{
    /// <summary>Large enough to amortise a transaction, small enough that a batch commits in well under a second.</summary>
    public const int BatchSize = 1_000;

    /// <param name="committed">Told the last line of each batch once the store has committed it.</param>
    public async Task<ImportSummary> RunAsync(string path, ConsoleProgress progress, Action<int, int>? committed, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        var totalLines = progress.ShowsBar ? CountLines(path) : 0;
        var items = new List<T>(BatchSize);
        var lines = new List<int>(BatchSize);
        var firstLineOf = kind.IdOf is null ? null : new Dictionary<string, int>(StringComparer.Ordinal);
        int imported = 0, unchanged = 0, rejected = 0, created = 0;

        void Reject(InputError problem)
        {
            rejected++;
            progress.WriteLine(problem.ToString());
        }

        async Task FlushAsync()
        {
            if (items.Count == 0)
            {
                return;
            }

            var outcome = await kind.WriteAsync(store, workspace, items, cancellationToken);
            imported += outcome.Imported;
            unchanged += outcome.Unchanged;
            created += outcome.CreatedContacts;
            foreach (var rejection in outcome.Rejected.OrderBy(r => r.Index))
            {
                Reject(new InputError(name, lines[rejection.Index], rejection.Reason));
            }

            committed?.Invoke(lines[^1], imported);

            items.Clear();
            lines.Clear();
        }

        foreach (var (line, item, error) in SourceFile.ReadItems(path, source => kind.Read(map.Apply(source))))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (error is not null)
            {
                Reject(error);
                continue;
            }

            if (firstLineOf is not null && !firstLineOf.TryAdd(kind.IdOf!(item!), line))
            {
                var id = kind.IdOf!(item!);
                Reject(new InputError(name, line, $"'{id}' appears twice in the file (first on line {firstLineOf[id]})"));
                continue;
            }

            items.Add(item!);
            lines.Add(line);
            if (items.Count == BatchSize)
            {
                await FlushAsync();
                progress.Report(line, totalLines);
            }
        }

        await FlushAsync();
        return new ImportSummary(kind.Noun, imported, unchanged, rejected, created);
    }

    private static long CountLines(string path)
    {
        long count = 0;
        foreach (var _ in File.ReadLines(path))
        {
            count++;
        }

        return count;
    }
}
