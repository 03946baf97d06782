using System.Collections.Immutable;
using LeadScore.Storage.Records;

namespace LeadScore.Cli.Import;

/// <summary>What the store did with one batch, whatever the kind of record.</summary>
internal sealed record BatchOutcome(int Imported, int Unchanged, ImmutableArray<Rejection> Rejected, int CreatedContacts = 0)
{
    public static BatchOutcome From(WriteResult result) => new(result.Written, result.Unchanged, result.Rejected);

    public static BatchOutcome From(IngestResult result) =>
        new(result.Accepted, result.Duplicates, result.Rejected, result.CreatedContacts.Length);
}
