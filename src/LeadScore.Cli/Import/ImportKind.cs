using LeadScore.Storage;
using LeadScore.Storage.Rows;

namespace LeadScore.Cli.Import;

/// <summary>
/// One kind of record an import reads: how a row becomes the store's input, how a batch is written,
/// and, for records updated in place, the id that must not appear twice in a file.
/// </summary>
/// <param name="Noun">The plural shown in the summary ("contacts").</param>
/// <param name="Read">Turns a row (after <c>--map</c>) into an input, or says why it cannot.</param>
/// <param name="IdOf">The record id, for kinds where a second row with the same id would be ambiguous; null otherwise.</param>
/// <param name="WriteAsync">Writes one batch in one transaction.</param>
internal sealed record ImportKind<T>(
    string Noun,
    Func<SourceRow, RowReading<T>> Read,
    Func<T, string>? IdOf,
    Func<ILeadStore, WorkspaceId, IReadOnlyList<T>, CancellationToken, Task<BatchOutcome>> WriteAsync)
    where T : class;
