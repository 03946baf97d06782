using LeadScore.Cli.Input;
using LeadScore.Cli.Output;
using LeadScore.Storage;
using LeadScore.Storage.Sources;

namespace LeadScore.Cli.Import;

/// <summary>
/// Loads a Segment or RudderStack archive (<see cref="SegmentArchive"/>) through the same ingest as
/// the server's <c>/v1/batch</c>, in chunks of <see cref="ChunkSize"/> messages, each one transaction.
/// A message id counts once, so an interrupted import is finished by running it again and a second
/// run stores nothing new. A line that cannot be read or stored is reported with its number and
/// never stops the import.
/// </summary>
internal sealed class SegmentImporter(ILeadStore store, WorkspaceId workspace, TimeProvider clock)
{
    /// <summary>As the other imports' batches: large enough to amortise a transaction, small enough to commit in well under a second.</summary>
    public const int ChunkSize = 1_000;

    public async Task<SegmentImportSummary> RunAsync(string path, ConsoleProgress progress, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        using var archive = new SegmentArchive(path, clock);
        var chunk = new List<SourceMessage>(ChunkSize);
        int read = 0, accepted = 0, duplicates = 0, ignored = 0, refused = 0, created = 0;

        void Refuse(RefusedMessage refusal)
        {
            refused++;
            var where = refusal.Path is null or "$" ? string.Empty : $"{refusal.Path}: ";
            progress.WriteLine(new InputError(name, refusal.Index, where + refusal.Reason).ToString());
        }

        async Task IngestAsync()
        {
            if (chunk.Count == 0)
            {
                return;
            }

            var result = await store.Sources.IngestAsync(workspace, chunk, cancellationToken);
            accepted += result.Accepted;
            duplicates += result.Duplicates;
            ignored += result.Ignored;
            created += result.CreatedContacts.Length;
            foreach (var refusal in result.Refused)
            {
                Refuse(refusal);
            }

            chunk.Clear();
            progress.Report(archive.BytesRead, archive.Length);
        }

        foreach (var (message, refusal) in archive.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (message is null)
            {
                Refuse(refusal!);
                continue;
            }

            read++;
            chunk.Add(message);
            if (chunk.Count == ChunkSize)
            {
                await IngestAsync();
            }
        }

        await IngestAsync();
        return new SegmentImportSummary(read, accepted, duplicates, ignored, refused, created);
    }
}
