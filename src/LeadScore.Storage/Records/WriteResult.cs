using System.Collections.Immutable;

namespace LeadScore.Storage.Records;

/// <summary>
/// What a batch write did: how many items were stored, which were rejected (and stored nothing),
/// and how many scores were recomputed because of it.
/// </summary>
public sealed record WriteResult(int Written, ImmutableArray<Rejection> Rejected, int Rescored)
{
    public int Unchanged { get; init; }
}
